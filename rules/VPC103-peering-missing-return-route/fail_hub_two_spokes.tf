# The hub routes to both spokes. Spoke A routes back; spoke B was forgotten.
locals {
  spokes = {
    a = "10.1.0.0/16"
    b = "10.2.0.0/16"
  }
}

resource "aws_vpc" "hub" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "hub" {
  vpc_id     = aws_vpc.hub.id
  cidr_block = "10.0.0.0/20"
}

resource "aws_route_table" "hub" {
  vpc_id = aws_vpc.hub.id
}

resource "aws_route_table_association" "hub" {
  subnet_id      = aws_subnet.hub.id
  route_table_id = aws_route_table.hub.id
}

resource "aws_vpc" "spoke" {
  for_each   = local.spokes
  cidr_block = each.value
}

resource "aws_subnet" "spoke" {
  for_each   = local.spokes
  vpc_id     = aws_vpc.spoke[each.key].id
  cidr_block = cidrsubnet(each.value, 4, 0)
}

resource "aws_route_table" "spoke" {
  for_each = local.spokes
  vpc_id   = aws_vpc.spoke[each.key].id
}

resource "aws_route_table_association" "spoke" {
  for_each       = local.spokes
  subnet_id      = aws_subnet.spoke[each.key].id
  route_table_id = aws_route_table.spoke[each.key].id
}

resource "aws_vpc_peering_connection" "hub_spoke" {
  for_each    = local.spokes
  vpc_id      = aws_vpc.hub.id
  peer_vpc_id = aws_vpc.spoke[each.key].id
  auto_accept = true
}

resource "aws_route" "hub_to_spoke" {
  for_each                  = local.spokes
  route_table_id            = aws_route_table.hub.id
  destination_cidr_block    = each.value
  vpc_peering_connection_id = aws_vpc_peering_connection.hub_spoke[each.key].id
}

resource "aws_route" "spoke_a_to_hub" {
  route_table_id            = aws_route_table.spoke["a"].id
  destination_cidr_block    = aws_vpc.hub.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.hub_spoke["a"].id
}
