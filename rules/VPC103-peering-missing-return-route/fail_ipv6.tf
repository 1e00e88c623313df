# IPv6 over the peering: the peer routes IPv4 back but not the requester's IPv6 block.
resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "app" {
  vpc_id          = aws_vpc.app.id
  ipv6_cidr_block = "2600:1f18:2000:100::/56"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "db" {
  vpc_id          = aws_vpc.db.id
  ipv6_cidr_block = "2600:1f18:2000:200::/56"
}

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

resource "aws_subnet" "app" {
  vpc_id          = aws_vpc.app.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = "2600:1f18:2000:101::/64"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }

  route {
    ipv6_cidr_block           = "2600:1f18:2000:200::/56"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_subnet" "db" {
  vpc_id          = aws_vpc.db.id
  cidr_block      = "10.1.2.0/24"
  ipv6_cidr_block = "2600:1f18:2000:202::/64"
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id

  route {
    cidr_block                = "10.0.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}
