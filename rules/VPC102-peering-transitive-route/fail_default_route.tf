# A private VPC sends everything to the peered "egress" VPC, hoping to use its NAT gateway.
resource "aws_vpc" "private" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "private_v6" {
  vpc_id          = aws_vpc.private.id
  ipv6_cidr_block = "2600:1f18:1000:100::/56"
}

resource "aws_vpc" "egress" {
  cidr_block = "10.11.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "egress_v6" {
  vpc_id          = aws_vpc.egress.id
  ipv6_cidr_block = "2600:1f18:1000:200::/56"
}

resource "aws_vpc_peering_connection" "private_egress" {
  vpc_id      = aws_vpc.private.id
  peer_vpc_id = aws_vpc.egress.id
  auto_accept = true
}

resource "aws_route_table" "fail_private" {
  vpc_id = aws_vpc.private.id

  route {
    cidr_block                = "0.0.0.0/0"
    vpc_peering_connection_id = aws_vpc_peering_connection.private_egress.id
  }

  route {
    ipv6_cidr_block           = "::/0"
    vpc_peering_connection_id = aws_vpc_peering_connection.private_egress.id
  }
}
