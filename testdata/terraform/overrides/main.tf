# Override files (override.tf, *_override.tf, *_override.tf.json) are merged into these
# blocks: top-level attributes exactly, nested blocks and count/for_each as unknown.
provider "aws" {
  region = "eu-west-1"
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

locals {
  subnet_bits = 8
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, local.subnet_bits, 1)
}

resource "aws_subnet" "b" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 10 + count.index)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0123456789abcdef0"
  }
}

output "vpc_cidr" {
  value = aws_vpc.main.cidr_block
}
