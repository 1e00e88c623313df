# Two app subnets use the peering route; the return route covers only the first one.
resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

resource "aws_subnet" "app" {
  count      = 2
  vpc_id     = aws_vpc.app.id
  cidr_block = cidrsubnet(aws_vpc.app.cidr_block, 8, count.index + 1)
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table_association" "app" {
  count          = 2
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app.id
}

resource "aws_subnet" "db" {
  vpc_id     = aws_vpc.db.id
  cidr_block = "10.1.2.0/24"
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}

# Returns only to 10.0.1.0/24; replies to 10.0.2.0/24 follow the default route instead.
resource "aws_route" "db_to_first_app_subnet" {
  route_table_id            = aws_route_table.db.id
  destination_cidr_block    = "10.0.1.0/24"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
}

resource "aws_internet_gateway" "db" {
  vpc_id = aws_vpc.db.id
}

resource "aws_route" "db_default" {
  route_table_id         = aws_route_table.db.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.db.id
}
