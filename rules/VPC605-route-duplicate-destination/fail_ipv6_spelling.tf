# `::/0` and `0::/0` are the same destination.
resource "aws_vpc" "main" {
  cidr_block                       = "10.30.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  }

  route {
    ipv6_cidr_block = "0::/0"
    gateway_id      = aws_internet_gateway.main.id
  }
}
