# `route = []` declares that the table has no inline routes at all (the provider removes
# any): the reply from the billing subnet to the web subnet has nowhere to go.
resource "aws_vpc" "web" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_vpc" "billing" {
  cidr_block = "10.31.0.0/16"
}

resource "aws_vpc_peering_connection" "web_billing" {
  vpc_id      = aws_vpc.web.id
  peer_vpc_id = aws_vpc.billing.id
  auto_accept = true
}

resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.web.id
  cidr_block = "10.30.4.0/24"
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.web.id

  route = [
    {
      cidr_block                 = aws_vpc.billing.cidr_block
      ipv6_cidr_block            = null
      destination_prefix_list_id = null
      vpc_peering_connection_id  = aws_vpc_peering_connection.web_billing.id
      gateway_id                 = null
      nat_gateway_id             = null
      egress_only_gateway_id     = null
      transit_gateway_id         = null
      network_interface_id       = null
      vpc_endpoint_id            = null
      carrier_gateway_id         = null
      core_network_arn           = null
      local_gateway_id           = null
    },
  ]
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_subnet" "billing" {
  vpc_id     = aws_vpc.billing.id
  cidr_block = "10.31.8.0/24"
}

resource "aws_route_table" "billing" {
  vpc_id = aws_vpc.billing.id
  route  = []
}

resource "aws_route_table_association" "billing" {
  subnet_id      = aws_subnet.billing.id
  route_table_id = aws_route_table.billing.id
}
