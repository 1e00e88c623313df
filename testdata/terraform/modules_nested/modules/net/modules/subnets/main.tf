variable "vpc_id" {}
variable "cidrs" {
  type = list(string)
}
variable "route_table_id" {}

resource "aws_subnet" "this" {
  count      = length(var.cidrs)
  vpc_id     = var.vpc_id
  cidr_block = var.cidrs[count.index]
}

resource "aws_route_table_association" "this" {
  count          = length(var.cidrs)
  subnet_id      = aws_subnet.this[count.index].id
  route_table_id = var.route_table_id
}

output "ids" {
  value = aws_subnet.this[*].id
}
