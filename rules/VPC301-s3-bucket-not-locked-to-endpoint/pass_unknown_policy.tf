# Policies vpclint cannot read: from a variable, from a heredoc whose statements come from
# a variable, and one whose bucket is unknown (so it might be the third bucket's).
variable "reports_policy" {
  type = string
}

variable "bucket_name" {
  type = string
}

variable "export_statements" {
  type = string
}

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

resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
}

resource "aws_s3_bucket_policy" "pass_policy_from_variable" {
  bucket = aws_s3_bucket.reports.id
  policy = var.reports_policy
}

resource "aws_s3_bucket" "exports" {
  bucket = "example-exports"
}

resource "aws_s3_bucket_policy" "pass_statements_from_variable" {
  bucket = aws_s3_bucket.exports.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": ${var.export_statements}
    }
  POLICY
}

resource "aws_s3_bucket" "pass_maybe_covered" {
  bucket = "example-maybe-covered"
}

resource "aws_s3_bucket_policy" "pass_unknown_bucket" {
  bucket = var.bucket_name
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })
}
