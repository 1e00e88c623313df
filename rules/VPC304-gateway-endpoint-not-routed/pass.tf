# One gateway endpoint lists its route tables, the other is associated by standalone
# association resources built with count; the interface endpoint has no route tables at all.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_route_table" "private" {
  count  = 2
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "pass_s3_inline_route_tables" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = aws_route_table.private[*].id
}

resource "aws_vpc_endpoint" "pass_dynamodb_associations" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
}

resource "aws_vpc_endpoint_route_table_association" "pass_dynamodb" {
  count           = 2
  vpc_endpoint_id = aws_vpc_endpoint.pass_dynamodb_associations.id
  route_table_id  = aws_route_table.private[count.index].id
}

resource "aws_vpc_endpoint" "pass_sts_interface" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private.id]
}
