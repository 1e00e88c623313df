# The VPC is IPv4-only: the egress-only gateway can never carry traffic.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_egress_only_internet_gateway" "fail_ipv4_only_vpc" {
  vpc_id = aws_vpc.main.id
}
