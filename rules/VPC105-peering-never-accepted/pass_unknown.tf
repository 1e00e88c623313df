# vpclint cannot tell: `auto_accept` comes from a variable, and an accepter whose
# connection ID comes from a variable might accept the second request.
variable "auto_accept" {
  type = bool
}

variable "pending_peering_id" {
  type = string
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "cache" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_unknown_auto_accept" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = var.auto_accept
}

resource "aws_vpc_peering_connection" "pass_maybe_accepted" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.cache.id
}

resource "aws_vpc_peering_connection_accepter" "by_id" {
  vpc_peering_connection_id = var.pending_peering_id
  auto_accept               = true
}
