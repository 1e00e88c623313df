# The subnets come from a variable with no value here, so vpclint cannot tell which exist —
# but no flow log in the stack targets the VPC, a subnet or a network interface, so whatever
# subnets there turn out to be, none is covered.
variable "private_subnets" {
  type = map(string)
}

resource "aws_vpc" "fail_uncovered" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "private" {
  for_each   = var.private_subnets
  vpc_id     = aws_vpc.fail_uncovered.id
  cidr_block = each.value
}
