# Cross-account requests: the peer account accepts them in its own configuration.
# One names the account literally, one takes it from a variable.
variable "peer_account_id" {
  type = string
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_literal_peer_account" {
  vpc_id        = aws_vpc.app.id
  peer_vpc_id   = "vpc-0123456789abcdef0"
  peer_owner_id = "210987654321"
}

resource "aws_vpc_peering_connection" "pass_unknown_peer_account" {
  vpc_id        = aws_vpc.app.id
  peer_vpc_id   = "vpc-0fedcba9876543210"
  peer_owner_id = var.peer_account_id
}
