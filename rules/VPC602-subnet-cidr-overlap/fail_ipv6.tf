# Two subnets given the same IPv6 /64 of the VPC's BYOIP block.
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "byoip" {
  vpc_id            = aws_vpc.main.id
  ipv6_ipam_pool_id = "ipam-pool-0123456789abcdef0"
  ipv6_cidr_block   = "2600:1f18:1000:100::/56"
}

resource "aws_subnet" "a" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.40.1.0/24"
  ipv6_cidr_block = "2600:1f18:1000:101::/64"
}

resource "aws_subnet" "fail_b" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.40.2.0/24"
  ipv6_cidr_block = "2600:1f18:1000:101::/64"
}
