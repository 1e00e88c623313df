locals {
  vpcs = {
    hub    = "10.0.0.0/16"
    spoke1 = "10.1.0.0/16"
    spoke2 = "10.2.0.0/16"
  }
  spokes = { for k, v in local.vpcs : k => v if k != "hub" }
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value
}

resource "aws_vpc_peering_connection" "hub_to" {
  for_each    = local.spokes
  vpc_id      = aws_vpc.this["hub"].id
  peer_vpc_id = aws_vpc.this[each.key].id
  auto_accept = true

  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_route_table" "hub" {
  vpc_id = aws_vpc.this["hub"].id
}

resource "aws_route" "hub_to_spoke" {
  for_each                  = local.spokes
  route_table_id            = aws_route_table.hub.id
  destination_cidr_block    = aws_vpc.this[each.key].cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.hub_to[each.key].id
}
