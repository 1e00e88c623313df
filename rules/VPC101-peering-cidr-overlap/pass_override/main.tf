# The VPCs overlap here, but the override file re-addresses aws_vpc.b, as Terraform applies it.
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_override" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}
