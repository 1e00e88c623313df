# Existing infrastructure by literal ID, data source or variable; resources of types vpclint
# does not model; count-built resources by index; a module output.
variable "shared_vpc_id" {
  type = string
}

data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "pass_literal_vpc" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.99.1.0/24"
}

resource "aws_subnet" "pass_data_source_vpc" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = "10.98.1.0/24"
}

resource "aws_subnet" "pass_variable_vpc" {
  vpc_id     = var.shared_vpc_id
  cidr_block = "10.97.1.0/24"
}

resource "aws_subnet" "pass_counted" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}

resource "aws_vpn_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "main" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0123456789abcdef0"
  }

  route {
    cidr_block = "172.16.0.0/12"
    gateway_id = aws_vpn_gateway.main.id
  }
}

resource "aws_route_table_association" "pass_counted" {
  count          = 2
  subnet_id      = aws_subnet.pass_counted[count.index].id
  route_table_id = aws_route_table.main.id
}
