# One route per partner was intended, but the destination does not depend on count.index.
variable "partner_cidrs" {
  type    = list(string)
  default = ["10.50.0.0/16", "10.51.0.0/16"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "fail_to_partner" {
  count                  = length(var.partner_cidrs)
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = var.partner_cidrs[0]
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
