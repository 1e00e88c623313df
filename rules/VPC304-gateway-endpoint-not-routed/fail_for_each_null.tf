# Endpoints built from a map with for_each, the module way: the S3 entry forgot its route
# tables, so `route_table_ids` is null.
provider "aws" {
  region = "eu-west-1"
}

locals {
  endpoints = {
    s3 = {
      service = "s3"
    }
    dynamodb = {
      service         = "dynamodb"
      route_table_ids = [aws_route_table.private.id]
    }
  }
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "this" {
  for_each          = local.endpoints
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.${each.value.service}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = try(each.value.route_table_ids, null)
}
