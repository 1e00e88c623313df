# The same destination in two tables, and nested (not equal) destinations in one table.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  count  = 2
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route" "pass_partner_wide" {
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "10.50.0.0/16"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}

resource "aws_route" "pass_partner_narrow" {
  route_table_id            = aws_route_table.public[0].id
  destination_cidr_block    = "10.50.0.0/17"
  vpc_peering_connection_id = "pcx-0123456789abcdef0"
}

resource "aws_route" "pass_partner_per_table" {
  count                  = 2
  route_table_id         = aws_route_table.public[count.index].id
  destination_cidr_block = "10.60.0.0/16"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
