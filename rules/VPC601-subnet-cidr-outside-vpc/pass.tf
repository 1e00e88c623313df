# Subnets carved from the primary block and from a secondary block.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/20"
}

resource "aws_subnet" "pass_primary" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
}

resource "aws_subnet" "pass_whole_vpc" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "pass_secondary" {
  vpc_id     = aws_vpc_ipv4_cidr_block_association.extra.vpc_id
  cidr_block = "100.64.4.0/22"
}
