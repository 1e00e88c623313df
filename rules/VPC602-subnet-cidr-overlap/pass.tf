# Disjoint subnets, and an equal block in another VPC (overlap is per VPC).
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "other" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "pass_public" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}

resource "aws_subnet" "pass_private" {
  for_each   = { a = 10, b = 11 }
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
}

resource "aws_subnet" "pass_same_block_other_vpc" {
  vpc_id     = aws_vpc.other.id
  cidr_block = "10.10.0.0/24"
}
