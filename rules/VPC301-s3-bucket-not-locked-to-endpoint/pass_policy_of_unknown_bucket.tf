# A policy for a bucket that is not known may be the policy of the flow-log bucket, which
# must stay writable by the log delivery service: nothing is asked of it.
provider "aws" {
  region = "eu-west-1"
}

variable "imported_bucket" {
  type = string
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_flow_log" "app" {
  vpc_id               = aws_vpc.app.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-flow-logs"
}

resource "aws_s3_bucket_policy" "pass_unknown_bucket" {
  bucket = var.imported_bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::${var.imported_bucket}/*"
    }]
  })
}
