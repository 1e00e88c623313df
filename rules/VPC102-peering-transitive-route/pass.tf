# Routes over the peering name only the peer's own blocks, secondary block included.
resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "data" {
  cidr_block = "10.21.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "data_secondary" {
  vpc_id     = aws_vpc.data.id
  cidr_block = "100.64.0.0/20"
}

resource "aws_vpc_peering_connection" "app_data" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.data.id
  auto_accept = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "10.21.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
  }
}

resource "aws_route" "pass_app_to_data_secondary" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "100.64.0.0/20"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}

resource "aws_route" "pass_app_to_one_data_subnet" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.21.4.0/24"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}

resource "aws_route_table" "data" {
  vpc_id = aws_vpc.data.id
}

resource "aws_route" "pass_data_to_app" {
  route_table_id            = aws_route_table.data.id
  destination_cidr_block    = aws_vpc.app.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}
