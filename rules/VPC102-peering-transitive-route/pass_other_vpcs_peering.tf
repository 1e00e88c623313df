# The route's table is in a VPC the peering connection does not connect: that is a
# different mistake (VPC604, route-target-other-vpc), so this rule says nothing.
resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.21.0.0/16"
}

resource "aws_vpc" "batch" {
  cidr_block = "10.22.0.0/16"
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}

resource "aws_route_table" "batch" {
  vpc_id = aws_vpc.batch.id
}

resource "aws_route" "pass_default_over_someone_elses_peering" {
  route_table_id            = aws_route_table.batch.id
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
}
