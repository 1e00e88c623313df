# Buckets that AWS services write to from outside the VPC: locking them to the gateway
# endpoint would stop the delivery, so none of them is asked to be locked.
provider "aws" {
  region = "eu-west-1"
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

# VPC flow logs, delivered under a prefix of the bucket.
resource "aws_s3_bucket" "pass_flow_logs" {
  bucket = "example-flow-logs"
}

resource "aws_flow_log" "app" {
  vpc_id               = aws_vpc.app.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.pass_flow_logs.arn}/vpc/"
}

# S3 server access logs of another bucket.
resource "aws_s3_bucket" "pass_access_logs" {
  bucket = "example-access-logs"
}

resource "aws_s3_bucket_logging" "assets" {
  bucket        = "example-assets"
  target_bucket = aws_s3_bucket.pass_access_logs.id
  target_prefix = "assets/"
}

# A trail's bucket, named by its literal name.
resource "aws_s3_bucket" "pass_trail" {
  bucket = "example-trail"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "example-trail"
}

# Load balancer access logs.
resource "aws_s3_bucket" "pass_alb_logs" {
  bucket = "example-alb-logs"
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = []

  access_logs {
    bucket  = aws_s3_bucket.pass_alb_logs.bucket
    enabled = true
  }
}

# AWS Config snapshots.
resource "aws_s3_bucket" "pass_config" {
  bucket = "example-config"
}

resource "aws_config_delivery_channel" "main" {
  s3_bucket_name = aws_s3_bucket.pass_config.bucket
}

# A bucket whose policy lets a log delivery service write.
resource "aws_s3_bucket" "pass_service_principal" {
  bucket = "example-delivery"
}

resource "aws_s3_bucket_policy" "pass_service_principal" {
  bucket = aws_s3_bucket.pass_service_principal.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.pass_service_principal.arn}/AWSLogs/*"
    }]
  })
}
