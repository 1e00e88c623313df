# Disjoint IPv4, but both VPCs were given the same IPv6 block.
resource "aws_vpc" "fail_edge" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "fail_edge_v6" {
  vpc_id          = aws_vpc.fail_edge.id
  ipv6_cidr_block = "2600:1f18:aa00:1000::/56"
}

resource "aws_vpc" "fail_origin" {
  cidr_block = "10.41.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "fail_origin_v6" {
  vpc_id          = aws_vpc.fail_origin.id
  ipv6_cidr_block = "2600:1f18:aa00:1000::/56"
}

resource "aws_vpc_peering_connection" "fail_edge_to_origin" {
  vpc_id      = aws_vpc.fail_edge.id
  peer_vpc_id = aws_vpc.fail_origin.id
  auto_accept = true
}
