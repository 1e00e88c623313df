# A module mixing native and JSON syntax: each file refers to the other's declarations.
variable "cidr" {
  type    = string
  default = "10.20.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}

resource "aws_route" "to_json_peering" {
  route_table_id            = aws_route_table.from_json.id
  destination_cidr_block    = local.peer_cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.from_json.id
}
