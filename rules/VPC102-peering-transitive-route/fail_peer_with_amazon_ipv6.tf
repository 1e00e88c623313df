# The peer VPC has an Amazon-provided IPv6 block (unknown before apply). That says nothing
# about its IPv4 blocks, so the IPv4 route that overshoots them is still reported.
resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "data" {
  cidr_block                       = "10.21.0.0/16"
  assign_generated_ipv6_cidr_block = true
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
