# The return route is written in the attribute form (`route = [{ ... }]`), which the AWS
# provider accepts for inline routes; it counts exactly like a `route` block.
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
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_route" "pass_web_to_billing" {
  route_table_id            = aws_route_table.web.id
  destination_cidr_block    = aws_vpc.billing.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_billing.id
}

resource "aws_subnet" "billing" {
  vpc_id     = aws_vpc.billing.id
  cidr_block = "10.31.8.0/24"
}

resource "aws_route_table" "billing" {
  vpc_id = aws_vpc.billing.id

  # Attribute form: every field is written; empty strings mean "not set".
  route = [
    {
      cidr_block                 = aws_vpc.web.cidr_block
      ipv6_cidr_block            = ""
      destination_prefix_list_id = ""
      vpc_peering_connection_id  = aws_vpc_peering_connection.web_billing.id
      gateway_id                 = ""
      nat_gateway_id             = ""
      egress_only_gateway_id     = ""
      transit_gateway_id         = ""
      network_interface_id       = ""
      vpc_endpoint_id            = ""
      carrier_gateway_id         = ""
      core_network_arn           = ""
      local_gateway_id           = ""
    },
  ]
}

resource "aws_route_table_association" "billing" {
  subnet_id      = aws_subnet.billing.id
  route_table_id = aws_route_table.billing.id
}
