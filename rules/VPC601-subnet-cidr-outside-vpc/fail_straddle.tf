# Two adjacent VPC blocks do not make one: a subnet cannot span both.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "next" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.21.0.0/16"
}

resource "aws_subnet" "fail_straddles_both_blocks" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.0.0/15"
}
