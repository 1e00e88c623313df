# Every route uses a target of its own VPC; both sides route over the peering between them.
resource "aws_vpc" "production" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "staging" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_internet_gateway" "production" {
  vpc_id = aws_vpc.production.id
}

resource "aws_internet_gateway" "staging" {}

resource "aws_internet_gateway_attachment" "staging" {
  internet_gateway_id = aws_internet_gateway.staging.id
  vpc_id              = aws_vpc.staging.id
}

resource "aws_vpc_peering_connection" "prod_staging" {
  vpc_id      = aws_vpc.production.id
  peer_vpc_id = aws_vpc.staging.id
  auto_accept = true
}

resource "aws_route_table" "production" {
  vpc_id = aws_vpc.production.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.production.id
  }

  route {
    cidr_block                = aws_vpc.staging.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.prod_staging.id
  }
}

resource "aws_route_table" "staging" {
  vpc_id = aws_vpc.staging.id
}

resource "aws_route" "pass_staging_default" {
  route_table_id         = aws_route_table.staging.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.staging.id
}

resource "aws_route" "pass_staging_to_prod" {
  route_table_id            = aws_route_table.staging.id
  destination_cidr_block    = aws_vpc.production.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.prod_staging.id
}
