# One association per subnet; an edge association with the internet gateway and a main
# route table association are not subnet associations.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "private" {
  for_each   = { a = 1, b = 2 }
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "pass_private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "pass_edge" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.edge.id
}

resource "aws_main_route_table_association" "pass_main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.private.id
}
