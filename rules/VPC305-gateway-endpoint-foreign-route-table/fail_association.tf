# Standalone associations built with for_each over every private route table, of both VPCs.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "app" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_route_table" "private" {
  for_each = {
    shared = aws_vpc.shared.id
    app    = aws_vpc.app.id
  }
  vpc_id = each.value
}

resource "aws_vpc_endpoint" "shared_dynamodb" {
  vpc_id       = aws_vpc.shared.id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
}

resource "aws_vpc_endpoint_route_table_association" "fail_every_private_table" {
  for_each        = aws_route_table.private
  vpc_endpoint_id = aws_vpc_endpoint.shared_dynamodb.id
  route_table_id  = each.value.id
}
