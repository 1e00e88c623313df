data "aws_vpc" "shared" {
  id = "vpc-0shared"
}

variable "peer_count" {
  type = number
}

resource "aws_vpc" "local" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "to_shared" {
  vpc_id      = aws_vpc.local.id
  peer_vpc_id = data.aws_vpc.shared.id
}

resource "aws_route" "to_shared" {
  route_table_id            = aws_vpc.local.main_route_table_id
  destination_cidr_block    = data.aws_vpc.shared.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.to_shared.id
}

resource "aws_subnet" "derived" {
  vpc_id     = aws_vpc.local.id
  cidr_block = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)
}

resource "aws_subnet" "maybe" {
  count      = var.peer_count
  vpc_id     = aws_vpc.local.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_route" "uses_maybe" {
  route_table_id         = aws_vpc.local.main_route_table_id
  destination_cidr_block = aws_subnet.maybe[0].cidr_block
  gateway_id             = templatefile("x.tpl", {})
}
