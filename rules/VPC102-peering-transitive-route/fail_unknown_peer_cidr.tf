# The peer's CIDR block comes from a data source, so vpclint cannot tell which addresses it
# holds — but no VPC holds 0.0.0.0/0, so a default route over the connection is wrong
# whatever they are.
data "aws_vpc" "legacy" {
  id = "vpc-0123456789abcdef0"
}

resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "legacy_mirror" {
  cidr_block = data.aws_vpc.legacy.cidr_block
}

resource "aws_vpc_peering_connection" "app_legacy" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.legacy_mirror.id
  auto_accept = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route" "fail_default_over_peering" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_legacy.id
}
