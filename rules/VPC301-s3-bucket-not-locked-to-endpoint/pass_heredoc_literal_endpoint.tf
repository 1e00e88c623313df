# A heredoc policy naming the endpoint by its literal ID (an endpoint created elsewhere).
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

resource "aws_s3_bucket" "shared" {
  bucket = "example-shared"
}

resource "aws_s3_bucket_policy" "pass_literal_vpce" {
  bucket = aws_s3_bucket.shared.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"],
        "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-0a1b2c3d4e5f60718", "vpce-0f1e2d3c4b5a69788"]}}
      }]
    }
  POLICY
}
