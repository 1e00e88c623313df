# Each VPC has its own S3 gateway endpoint, associated with its own route tables.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "app" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_route_table" "shared_private" {
  vpc_id = aws_vpc.shared.id
}

resource "aws_route_table" "app_private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "pass_shared_s3" {
  vpc_id          = aws_vpc.shared.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.shared_private.id]
}

resource "aws_vpc_endpoint" "pass_app_s3" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_vpc_endpoint_route_table_association" "pass_app_private" {
  vpc_endpoint_id = aws_vpc_endpoint.pass_app_s3.id
  route_table_id  = aws_route_table.app_private.id
}
