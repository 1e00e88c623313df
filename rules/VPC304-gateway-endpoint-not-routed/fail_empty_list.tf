# `route_table_ids` is written but empty (the list the module was meant to fill is empty).
provider "aws" {
  region = "eu-west-1"
}

locals {
  private_route_table_ids = []
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_endpoint" "fail_dynamodb_empty_route_tables" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = local.private_route_table_ids
}
