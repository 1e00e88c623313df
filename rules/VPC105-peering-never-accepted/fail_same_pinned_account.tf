# The provider is pinned to one account, and peer_owner_id names that same account: the
# connection is not cross-account, so nothing outside this configuration will accept it.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "fail_same_account_never_accepted" {
  vpc_id        = aws_vpc.app.id
  peer_vpc_id   = aws_vpc.db.id
  peer_owner_id = "111122223333"
}
