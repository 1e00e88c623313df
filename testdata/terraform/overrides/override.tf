variable "cidr" {
  default = "10.20.0.0/16"
}

locals {
  subnet_bits = 4
}

resource "aws_route_table" "public" {
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0fedcba9876543210"
  }
}

resource "aws_vpc" "absent" {
  cidr_block = "10.99.0.0/16"
}
