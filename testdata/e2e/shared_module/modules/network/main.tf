# One network module, called by two root modules (prod/ and staging/). Its VPC has no flow
# log: one finding (VPC501), found in both stacks.
variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
