# Isolated dual-stack subnets (no default route in either family) are intentional:
# one with its own route table holding only a peering-free local route, one on the
# unmanaged main route table. An IPv4-only subnet behind NAT is not concerned.
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "pass_isolated_own_table" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.20.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 20)
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "isolated" {
  subnet_id      = aws_subnet.pass_isolated_own_table.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_subnet" "pass_isolated_main_table" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.21.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 21)
}

resource "aws_nat_gateway" "main" {
  subnet_id = "subnet-0123456789abcdef0"
}

resource "aws_subnet" "pass_ipv4_only" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.22.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.pass_ipv4_only.id
  route_table_id = aws_route_table.private.id
}
