# The destination comes from a variable without a default: it might be an IPv6
# range, so nothing is reported.
variable "egress_destination" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "pass_unknown_destination" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = var.egress_destination
  egress_only_gateway_id      = aws_egress_only_internet_gateway.main.id
}
