# The default route table sends ::/0 to the egress-only gateway in the attribute form
# (`route = [{ ... }]`), which counts like a `route` block.
resource "aws_vpc" "main" {
  cidr_block                       = "10.40.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "pass_used_by_attribute_route" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "private" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.40.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id

  route = [
    {
      cidr_block                 = null
      ipv6_cidr_block            = "::/0"
      destination_prefix_list_id = null
      egress_only_gateway_id     = aws_egress_only_internet_gateway.pass_used_by_attribute_route.id
      gateway_id                 = null
      nat_gateway_id             = null
      vpc_peering_connection_id  = null
      transit_gateway_id         = null
      network_interface_id       = null
      vpc_endpoint_id            = null
      carrier_gateway_id         = null
      core_network_arn           = null
      local_gateway_id           = null
    },
  ]
}
