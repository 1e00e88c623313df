# A public subnet with a literal IPv6 block; its route table (inline routes) sends
# 0.0.0.0/0 to the internet gateway but has no ::/0 route.
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "fail_public_dual_stack" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.0.0/24"
  ipv6_cidr_block = "2600:1f18:61a:a00::/64"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.fail_public_dual_stack.id
  route_table_id = aws_route_table.public.id
}
