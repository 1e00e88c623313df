# Explicitly a Gateway endpoint, but for a service that only offers interface endpoints.
provider "aws" {
  region = "ap-southeast-2"
}

data "aws_region" "current" {}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "fail_sqs_gateway" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.sqs"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
