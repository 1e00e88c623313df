# The billing table's routes come from a variable that has no value here: they may hold
# the return route, so nothing is reported.
resource "aws_vpc" "web" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_vpc" "billing" {
  cidr_block = "10.31.0.0/16"
}

resource "aws_vpc_peering_connection" "web_billing" {
  vpc_id      = aws_vpc.web.id
  peer_vpc_id = aws_vpc.billing.id
  auto_accept = true
}

resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.web.id
  cidr_block = "10.30.4.0/24"
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.web.id
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_route" "pass_web_to_billing" {
  route_table_id            = aws_route_table.web.id
  destination_cidr_block    = aws_vpc.billing.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_billing.id
}

resource "aws_subnet" "billing" {
  vpc_id     = aws_vpc.billing.id
  cidr_block = "10.31.8.0/24"
}

resource "aws_route_table" "billing" {
  vpc_id = aws_vpc.billing.id

  route = var.billing_routes
}

resource "aws_route_table_association" "billing" {
  subnet_id      = aws_subnet.billing.id
  route_table_id = aws_route_table.billing.id
}

variable "billing_routes" {
  type = list(object({
    cidr_block                = string
    vpc_peering_connection_id = string
  }))
}
