# A secondary block of unknown value (IPAM) might hold the subnet.
resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "from_ipam" {
  vpc_id              = aws_vpc.main.id
  ipv4_ipam_pool_id   = "ipam-pool-0123456789abcdef0"
  ipv4_netmask_length = 20
}

resource "aws_subnet" "pass_maybe_in_ipam_block" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/24"
}
