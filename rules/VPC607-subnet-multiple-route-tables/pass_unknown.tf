# The second association exists only when an input with no value says so.
variable "isolate" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "app_public" {
  count          = var.isolate ? 0 : 1
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "pass_maybe_isolated" {
  count          = var.isolate ? 1 : 0
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.isolated.id
}
