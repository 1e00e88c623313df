# The subnets use the VPC's main route table, and the endpoint is associated with it.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_endpoint" "pass_s3_main_table" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_vpc.app.default_route_table_id]
}
