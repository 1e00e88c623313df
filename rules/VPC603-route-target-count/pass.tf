# One target per route, inline and standalone. The attributes-as-blocks style lists every
# target attribute of an inline route and leaves the unused ones empty.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route = [
    {
      cidr_block                 = "0.0.0.0/0"
      gateway_id                 = aws_internet_gateway.main.id
      ipv6_cidr_block            = ""
      carrier_gateway_id         = ""
      core_network_arn           = ""
      destination_prefix_list_id = ""
      egress_only_gateway_id     = ""
      local_gateway_id           = ""
      nat_gateway_id             = ""
      network_interface_id       = ""
      transit_gateway_id         = ""
      vpc_endpoint_id            = ""
      vpc_peering_connection_id  = ""
    },
  ]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block         = "10.99.0.0/16"
    transit_gateway_id = "tgw-0123456789abcdef0"
    nat_gateway_id     = null
  }

  route {
    cidr_block = aws_vpc.main.cidr_block
    gateway_id = "local"
  }
}

resource "aws_route" "pass_peer" {
  route_table_id            = aws_route_table.private.id
  destination_cidr_block    = "10.50.0.0/16"
  vpc_peering_connection_id = "pcx-0123456789abcdef0"
}
