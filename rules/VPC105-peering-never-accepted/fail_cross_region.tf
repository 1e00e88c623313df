# An inter-region request (same account) with `auto_accept = false` and only an
# options resource, which does not accept anything: nobody accepts it.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_vpc" "east" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "fail_cross_region" {
  vpc_id      = aws_vpc.east.id
  peer_vpc_id = aws_vpc.west.id
  peer_region = "us-west-2"
  auto_accept = false
}

resource "aws_vpc_peering_connection_options" "east" {
  vpc_peering_connection_id = aws_vpc_peering_connection.fail_cross_region.id

  requester {
    allow_remote_vpc_dns_resolution = true
  }
}
