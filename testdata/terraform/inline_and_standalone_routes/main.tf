resource "aws_vpc" "app" {
  cidr_block      = "10.10.0.0/16"
  ipv6_cidr_block = "2600:1f14:abc:de00::/56"
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpn_gateway" "vgw" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
    gateway_id             = ""
  }

  route {
    cidr_block = "192.168.0.0/16"
    gateway_id = aws_vpn_gateway.vgw.id
  }

  dynamic "route" {
    for_each = ["172.16.0.0/16", "172.17.0.0/16"]
    content {
      cidr_block         = route.value
      transit_gateway_id = "tgw-0123"
    }
  }
}

resource "aws_route" "default_v4" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "igw-0abc"
}

resource "aws_route" "to_missing" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "10.99.0.0/16"
  nat_gateway_id         = aws_nat_gateway.missing.id
}

resource "aws_route" "prefix_list" {
  route_table_id             = aws_route_table.private.id
  destination_prefix_list_id = "pl-6ca54005"
  vpc_endpoint_id            = "vpce-0abc"
}

resource "aws_route" "bad_cidr" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "10.0.0.0/33"
  gateway_id             = "local"
}

resource "aws_route_table_association" "edge" {
  gateway_id     = "igw-0abc"
  route_table_id = aws_route_table.private.id
}
