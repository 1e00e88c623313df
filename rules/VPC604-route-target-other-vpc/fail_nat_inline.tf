# An inline route sends the private subnets of "data" to the NAT gateway of "app".
resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "data" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "app_public" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.10.0.0/24"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "app" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.app_public.id
}

resource "aws_route_table" "data_private" {
  vpc_id = aws_vpc.data.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.app.id
  }
}
