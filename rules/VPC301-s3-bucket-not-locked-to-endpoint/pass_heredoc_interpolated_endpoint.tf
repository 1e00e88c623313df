# A heredoc policy that denies everything not coming through the S3 endpoint, naming the
# endpoint and the bucket by interpolation (as most hand-written policies do).
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

resource "aws_s3_bucket" "exports" {
  bucket = "example-exports"
}

resource "aws_s3_bucket_policy" "pass_heredoc_interpolated_endpoint" {
  bucket = aws_s3_bucket.exports.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "DenyOutsideEndpoint",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["${aws_s3_bucket.exports.arn}", "${aws_s3_bucket.exports.arn}/*"],
        "Condition": {"StringNotEquals": {"aws:sourceVpce": "${aws_vpc_endpoint.s3.id}"}}
      }]
    }
  POLICY
}
