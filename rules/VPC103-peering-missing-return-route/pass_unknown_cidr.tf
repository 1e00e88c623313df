# The peer subnet's block and the return route's destination come from inputs with no
# value, so vpclint cannot prove the return route is missing.
variable "db_subnet_cidr" {
  type = string
}

variable "app_cidr_for_return" {
  type = string
}

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
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_subnet" "db" {
  vpc_id     = aws_vpc.db.id
  cidr_block = var.db_subnet_cidr
}

resource "aws_subnet" "db_known" {
  vpc_id     = aws_vpc.db.id
  cidr_block = "10.1.9.0/24"
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id

  route {
    cidr_block                = var.app_cidr_for_return
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}

resource "aws_route_table_association" "db_known" {
  subnet_id      = aws_subnet.db_known.id
  route_table_id = aws_route_table.db.id
}
