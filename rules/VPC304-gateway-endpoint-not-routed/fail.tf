# The S3 gateway endpoint is declared, but no route table is associated with it: private
# subnets keep reaching S3 through the NAT gateway.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private_a" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route_table" "private_b" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "fail_s3_unrouted" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.s3"
}
