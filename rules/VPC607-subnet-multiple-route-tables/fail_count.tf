# One association per private subnet was intended, but the subnet is not indexed.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}

resource "aws_route_table" "private" {
  count  = 2
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "fail_private" {
  count          = 2
  subnet_id      = aws_subnet.private[0].id
  route_table_id = aws_route_table.private[count.index].id
}
