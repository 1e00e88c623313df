# Two instances of the same network module whose CIDRs overlap (staging was copied from
# prod and its CIDR never changed): the peering between them cannot be created.
locals {
  networks = {
    prod    = "10.40.0.0/16"
    staging = "10.40.0.0/16"
  }
}

module "fail_network" {
  source   = "./modules/network"
  for_each = local.networks

  name = each.key
  cidr = each.value
}

resource "aws_vpc_peering_connection" "fail_prod_to_staging" {
  vpc_id      = module.fail_network["prod"].vpc_id
  peer_vpc_id = module.fail_network["staging"].vpc_id
  auto_accept = true
}
