# Accepted: by `auto_accept = true`, and by an accepter resource in the peer region.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_auto_accepted" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

resource "aws_vpc_peering_connection" "pass_accepted_in_peer_region" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.west.id
  peer_region = "us-west-2"
}

resource "aws_vpc_peering_connection_accepter" "west" {
  provider                  = aws.west
  vpc_peering_connection_id = aws_vpc_peering_connection.pass_accepted_in_peer_region.id
  auto_accept               = true
}
