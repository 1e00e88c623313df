# The subnets are carved from the wrong base block; every instance is outside the VPC.
locals {
  vpc_cidr  = "10.30.0.0/16"
  base_cidr = "10.31.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = local.vpc_cidr
}

resource "aws_subnet" "fail_wrong_base" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(local.base_cidr, 8, count.index)
}
