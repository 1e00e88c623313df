# The managed main route table gets a route to the same prefix list twice: inline through
# the transit gateway, and standalone through the VPN gateway.
resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id

  route {
    destination_prefix_list_id = "pl-0123456789abcdef0"
    transit_gateway_id         = "tgw-0123456789abcdef0"
  }
}

resource "aws_route" "fail_main_prefix_list" {
  route_table_id             = aws_default_route_table.main.id
  destination_prefix_list_id = "pl-0123456789abcdef0"
  gateway_id                 = "vgw-0123456789abcdef0"
}
