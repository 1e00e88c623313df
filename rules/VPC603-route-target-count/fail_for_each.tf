# Every instance sets both a transit gateway and a peering connection.
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "fail_to_partners" {
  for_each                  = toset(["10.40.0.0/16", "10.41.0.0/16"])
  route_table_id            = aws_route_table.private.id
  destination_cidr_block    = each.value
  transit_gateway_id        = "tgw-0123456789abcdef0"
  vpc_peering_connection_id = "pcx-0123456789abcdef0"
}
