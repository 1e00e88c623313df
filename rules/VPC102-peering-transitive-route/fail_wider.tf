# The route covers the whole 10/8 instead of the peer's /16.
resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "data" {
  cidr_block = "10.21.0.0/16"
}

resource "aws_vpc_peering_connection" "app_data" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.data.id
  auto_accept = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route" "fail_app_to_all_of_ten" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.0.0.0/8"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}

resource "aws_route" "fail_app_to_neighbour_range" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.22.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}
