# Destinations from inputs with no value, and a route that exists only for such an input.
variable "onprem_cidr" {
  type = string
}

variable "use_vpn" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "pass_onprem_tgw" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "172.16.0.0/12"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}

resource "aws_route" "pass_onprem_unknown" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = var.onprem_cidr
  gateway_id             = "vgw-0123456789abcdef0"
}

resource "aws_route" "pass_maybe_vpn" {
  count                  = var.use_vpn ? 1 : 0
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "172.16.0.0/12"
  gateway_id             = "vgw-0123456789abcdef0"
}
