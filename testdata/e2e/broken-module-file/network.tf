variable "create_subnets" {
  type    = bool
  default = true
}

locals {
  app_subnet_cidr = "10.0.1.0/24"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = "vpc-0a1b2c3d4e5f60718"
  auto_accept = true
  }
}
