# The primary blocks are disjoint, but a secondary block of one VPC overlaps the other.
resource "aws_vpc" "fail_shared" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "fail_shared_extension" {
  vpc_id     = aws_vpc.fail_shared.id
  cidr_block = "10.31.0.0/20"
}

resource "aws_vpc" "fail_analytics" {
  cidr_block = "10.31.0.0/16"
}

resource "aws_vpc_peering_connection" "fail_shared_to_analytics" {
  vpc_id      = aws_vpc.fail_shared.id
  peer_vpc_id = aws_vpc.fail_analytics.id
  auto_accept = true
}
