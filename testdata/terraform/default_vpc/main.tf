# Resources that adopt what AWS created: the default VPC, one of its default subnets, its
# main route table (through default_route_table_id) and its default security group.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_default_vpc" "default" {
  assign_generated_ipv6_cidr_block = true
}

resource "aws_default_subnet" "a" {
  availability_zone = "eu-west-1a"
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_default_vpc.default.default_route_table_id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.default.id
  }
}

resource "aws_internet_gateway" "default" {
  vpc_id = aws_default_vpc.default.id
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_default_vpc.default.id
}
