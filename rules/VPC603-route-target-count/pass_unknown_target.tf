# Targets from inputs with no value might be null at apply time: nothing is certain.
variable "nat_gateway_id" {
  type    = string
  default = null
}

variable "transit_gateway_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "pass_default_null_nat" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
  nat_gateway_id         = var.nat_gateway_id
}

resource "aws_route" "pass_maybe_second_target" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "10.60.0.0/16"
  gateway_id             = aws_internet_gateway.main.id
  transit_gateway_id     = var.transit_gateway_id
}

resource "aws_route" "pass_only_unknown_target" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "10.70.0.0/16"
  transit_gateway_id     = var.transit_gateway_id
}
