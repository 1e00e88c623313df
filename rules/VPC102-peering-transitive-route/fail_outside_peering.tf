# Peering connections made outside this configuration (another account's stack, a data
# source): vpclint cannot see the peer VPC, but no VPC can hold 0.0.0.0/0 or 10.0.0.0/8, so
# these routes assume the peer forwards traffic it never will.
data "aws_vpc_peering_connection" "shared_services" {
  tags = {
    Name = "shared-services"
  }
}

resource "aws_vpc" "workload" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_route_table" "fail_workload_private" {
  vpc_id = aws_vpc.workload.id

  route = [
    {
      cidr_block                 = "0.0.0.0/0"
      ipv6_cidr_block            = null
      destination_prefix_list_id = null
      vpc_peering_connection_id  = "pcx-0a1b2c3d4e5f60718"
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

resource "aws_route" "fail_everything_private_over_peering" {
  route_table_id            = aws_route_table.fail_workload_private.id
  destination_cidr_block    = "10.0.0.0/8"
  vpc_peering_connection_id = data.aws_vpc_peering_connection.shared_services.id
}
