# The gateway is attached to "shared" with an attachment resource; the per-AZ private
# tables of "workload" (count) send IPv6 to the other VPC's egress-only gateway, and IPv4
# to the attached gateway.
resource "aws_vpc" "shared" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_vpc" "workload" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_internet_gateway" "shared" {}

resource "aws_internet_gateway_attachment" "shared" {
  internet_gateway_id = aws_internet_gateway.shared.id
  vpc_id              = aws_vpc.shared.id
}

resource "aws_egress_only_internet_gateway" "shared" {
  vpc_id = aws_vpc.shared.id
}

resource "aws_route_table" "workload" {
  count  = 2
  vpc_id = aws_vpc.workload.id

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.shared.id
  }

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.shared.id
  }
}
