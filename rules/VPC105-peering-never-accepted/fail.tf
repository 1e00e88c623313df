# Same account, same region, but nobody accepts the request: the connection stays
# pending-acceptance and the route through it is a blackhole.
resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "fail_never_accepted" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route" "app_to_db" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = aws_vpc.db.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.fail_never_accepted.id
}
