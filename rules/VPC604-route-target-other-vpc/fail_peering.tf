# Spoke A routes to spoke B over the hub's peering with spoke B, which does not connect A.
resource "aws_vpc" "hub" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "spoke_a" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "spoke_b" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "hub_a" {
  vpc_id      = aws_vpc.hub.id
  peer_vpc_id = aws_vpc.spoke_a.id
  auto_accept = true
}

resource "aws_vpc_peering_connection" "hub_b" {
  vpc_id      = aws_vpc.hub.id
  peer_vpc_id = aws_vpc.spoke_b.id
  auto_accept = true
}

resource "aws_route_table" "spoke_a" {
  vpc_id = aws_vpc.spoke_a.id
}

resource "aws_route" "fail_a_to_b" {
  route_table_id            = aws_route_table.spoke_a.id
  destination_cidr_block    = "10.2.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.hub_b.id
}
