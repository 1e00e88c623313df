# The provider is pinned to one account and the peer is another: acceptance is managed in
# the peer account, outside this configuration.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_cross_account" {
  vpc_id        = aws_vpc.app.id
  peer_vpc_id   = "vpc-0a1b2c3d4e5f67890"
  peer_owner_id = "444455556666"
}
