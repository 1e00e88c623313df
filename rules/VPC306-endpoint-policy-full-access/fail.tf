# The S3 gateway endpoint has no policy: AWS's default allows every bucket of every account.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-app-artifacts"
}

resource "aws_vpc_endpoint" "fail_s3_default_policy" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}
