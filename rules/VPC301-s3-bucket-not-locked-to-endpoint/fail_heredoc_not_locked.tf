# A heredoc policy that only enforces TLS: nothing restricts the bucket to the endpoint.
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

resource "aws_s3_bucket" "logs" {
  bucket = "example-app-logs"
}

resource "aws_s3_bucket_policy" "fail_tls_only" {
  bucket = aws_s3_bucket.logs.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "DenyInsecureTransport",
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:*",
          "Resource": ["arn:aws:s3:::example-app-logs", "arn:aws:s3:::example-app-logs/*"],
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }
      ]
    }
  POLICY
}
