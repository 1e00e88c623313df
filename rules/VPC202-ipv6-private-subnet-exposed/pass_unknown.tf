# The IPv4 default route's gateway comes from a variable (it might be the internet
# gateway, making the subnet public), and an IPv4-only subnet has no IPv6
# addresses to expose.
variable "ipv4_egress_gateway_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "pass_unknown_ipv4_gateway" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.0.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)
}

resource "aws_route_table" "unknown" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = var.ipv4_egress_gateway_id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "unknown" {
  subnet_id      = aws_subnet.pass_unknown_ipv4_gateway.id
  route_table_id = aws_route_table.unknown.id
}

resource "aws_nat_gateway" "main" {
  subnet_id     = "subnet-0123456789abcdef0"
  allocation_id = "eipalloc-0123456789abcdef0"
}

resource "aws_subnet" "pass_ipv4_only" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.pass_ipv4_only.id
  route_table_id = aws_route_table.private.id
}
