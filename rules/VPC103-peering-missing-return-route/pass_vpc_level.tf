resource "aws_vpc" "build" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_vpc" "artifacts" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_vpc_peering_connection" "build_artifacts" {
  vpc_id      = aws_vpc.build.id
  peer_vpc_id = aws_vpc.artifacts.id
  auto_accept = true
}

resource "aws_route_table" "build" {
  vpc_id = aws_vpc.build.id

  route {
    cidr_block                = "10.9.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.build_artifacts.id
  }
}

resource "aws_route_table" "artifacts" {
  vpc_id = aws_vpc.artifacts.id

  # Two halves together cover the build VPC.
  route {
    cidr_block                = "10.8.0.0/17"
    vpc_peering_connection_id = aws_vpc_peering_connection.build_artifacts.id
  }

  route {
    cidr_block                = "10.8.128.0/17"
    vpc_peering_connection_id = aws_vpc_peering_connection.build_artifacts.id
  }
}
