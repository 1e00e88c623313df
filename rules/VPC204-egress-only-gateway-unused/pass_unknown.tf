# vpclint cannot see every route: one route's table and another's egress-only
# gateway come from variables, and a route table that targets the second gateway
# serves no subnet of this configuration (it may be associated elsewhere).
variable "route_table_id" {
  type = string
}

variable "egress_only_gateway_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "pass_maybe_routed" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "pass_table_associated_elsewhere" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "unknown_table" {
  route_table_id              = var.route_table_id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = var.egress_only_gateway_id
}

resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.main.id

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.pass_table_associated_elsewhere.id
  }
}
