resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  peer_region = "us-east-1"
}

resource "aws_vpc_peering_connection_accepter" "ab" {
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  auto_accept               = true

  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_vpc_peering_connection_options" "ab" {
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id

  requester {
    allow_remote_vpc_dns_resolution = false
  }
}
