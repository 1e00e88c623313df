# Environments come from a map; staging was copied from prod without changing its block.
variable "environments" {
  type = map(string)
  default = {
    prod    = "10.50.0.0/16"
    staging = "10.50.0.0/16"
    tools   = "10.52.0.0/16"
  }
}

locals {
  peerings = {
    prod_to_staging = { requester = "prod", accepter = "staging" }
    tools_to_prod   = { requester = "tools", accepter = "prod" }
  }
}

resource "aws_vpc" "env" {
  for_each   = var.environments
  cidr_block = each.value
  tags = {
    Name = each.key
  }
}

resource "aws_vpc_peering_connection" "env" {
  for_each    = local.peerings
  vpc_id      = aws_vpc.env[each.value.requester].id
  peer_vpc_id = aws_vpc.env[each.value.accepter].id
  auto_accept = true
}
