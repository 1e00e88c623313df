# The peer's blocks are not known before apply, so no route can be proven wrong.
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

resource "aws_route" "pass_app_to_legacy" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "172.16.0.0/12"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_legacy.id
}

# A peer VPC outside the configuration: unknown blocks.
resource "aws_vpc_peering_connection" "app_partner" {
  vpc_id        = aws_vpc.app.id
  peer_vpc_id   = "vpc-0fedcba9876543210"
  peer_owner_id = "123456789012"
}

resource "aws_route" "pass_app_to_partner" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "192.168.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_partner.id
}
