# What vpclint cannot know stays silent: a route whose IPv6 destination comes from
# a variable (it might be ::/0), and a subnet whose route table is a variable.
variable "ipv6_egress_destination" {
  type = string
}

variable "shared_route_table_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "pass_unknown_ipv6_route" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.0.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "public_ipv4" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route" "public_ipv6_unknown" {
  route_table_id              = aws_route_table.public.id
  destination_ipv6_cidr_block = var.ipv6_egress_destination
  egress_only_gateway_id      = aws_egress_only_internet_gateway.main.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.pass_unknown_ipv6_route.id
  route_table_id = aws_route_table.public.id
}

resource "aws_subnet" "pass_unknown_table" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_route_table_association" "unknown" {
  subnet_id      = aws_subnet.pass_unknown_table.id
  route_table_id = var.shared_route_table_id
}
