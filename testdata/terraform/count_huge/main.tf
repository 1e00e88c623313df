resource "aws_vpc" "huge" {
  count      = 1e9
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "range_huge" {
  for_each   = toset([for i in range(1e9) : tostring(i)])
  vpc_id     = aws_vpc.huge[0].id
  cidr_block = "10.0.0.0/24"
}

resource "aws_vpc" "fine" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index)
}
