# Inline route blocks: the IPv4 range goes to the egress-only gateway through
# `gateway_id` (a reference to an egress-only gateway), the IPv6 one is correct.
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "fail_inline" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "192.168.0.0/16"
    gateway_id = aws_egress_only_internet_gateway.main.id
  }

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  }
}
