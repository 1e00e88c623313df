# No flow log anywhere: nothing records the traffic of this VPC.
resource "aws_vpc" "fail_unlogged" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id     = aws_vpc.fail_unlogged.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "private_b" {
  vpc_id     = aws_vpc.fail_unlogged.id
  cidr_block = "10.0.2.0/24"
}
