# The private route table sends IPv4 internet traffic to the egress-only gateway
# (meant for ::/0) instead of the NAT gateway. AWS rejects the route.
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "fail_ipv4_to_eigw" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
}
