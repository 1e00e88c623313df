# Remote DNS resolution on: inline on an auto-accepted connection, and through
# aws_vpc_peering_connection_options for one accepted by an accepter resource.
resource "aws_vpc" "app" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "db" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "cache" {
  cidr_block           = "10.2.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_peering_connection" "pass_inline_options" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true

  accepter {
    allow_remote_vpc_dns_resolution = true
  }

  requester {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_vpc_peering_connection" "pass_options_resource" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.cache.id
}

resource "aws_vpc_peering_connection_accepter" "cache" {
  vpc_peering_connection_id = aws_vpc_peering_connection.pass_options_resource.id
  auto_accept               = true
}

resource "aws_vpc_peering_connection_options" "cache" {
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.cache.id

  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}
