# Blocks from an input with no value and from the Amazon-provided IPv6 prefix are unknown.
variable "extra_subnet_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.50.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "a" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.50.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_subnet" "pass_unknown" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = var.extra_subnet_cidr
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}
