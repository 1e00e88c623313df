# The rest of this module refers to what network.tf declares; network.tf does not parse
# (one brace too many), so the only problem reported is its syntax error.
resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  count      = var.create_subnets ? 1 : 0
  vpc_id     = aws_vpc.app.id
  cidr_block = local.app_subnet_cidr
}

resource "aws_route" "to_shared" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.1.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
}
