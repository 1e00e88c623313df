# Heredoc policies that interpolate references are read with the references in place:
# one locks the bucket to the DynamoDB endpoint, one only allows through the S3 endpoint
# (an Allow does not keep IAM principals outside the VPC out).
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

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_s3_bucket_policy" "fail_heredoc_locked_to_dynamodb_endpoint" {
  bucket = aws_s3_bucket.data.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["${aws_s3_bucket.data.arn}", "${aws_s3_bucket.data.arn}/*"],
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "${aws_vpc_endpoint.dynamodb.id}"}}
      }]
    }
  POLICY
}

resource "aws_s3_bucket" "logs" {
  bucket = "example-app-logs"
}

resource "aws_s3_bucket_policy" "fail_heredoc_allow_only" {
  bucket = aws_s3_bucket.logs.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "${aws_s3_bucket.logs.arn}/*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "${aws_vpc_endpoint.s3.id}"}}
      }]
    }
  POLICY
}
