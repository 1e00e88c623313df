# The VPC's block is an input with no value: the subnet might be inside it.
variable "vpc_cidr" {
  type = string
}

data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "pass_unknown_vpc_block" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.99.1.0/24"
}

resource "aws_subnet" "pass_existing_vpc" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = "10.98.1.0/24"
}
