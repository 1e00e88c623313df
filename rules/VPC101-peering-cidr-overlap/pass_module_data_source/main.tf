# The CIDRs come from an IPAM-managed registry read at plan time: vpclint cannot know
# whether they overlap, so it says nothing.
data "aws_ssm_parameter" "prod_cidr" {
  name = "/network/prod/cidr"
}

data "aws_ssm_parameter" "staging_cidr" {
  name = "/network/staging/cidr"
}

module "pass_prod" {
  source = "./modules/network"

  name = "prod"
  cidr = data.aws_ssm_parameter.prod_cidr.value
}

module "pass_staging" {
  source = "./modules/network"

  name = "staging"
  cidr = data.aws_ssm_parameter.staging_cidr.value
}

resource "aws_vpc_peering_connection" "pass_prod_to_staging" {
  vpc_id      = module.pass_prod.vpc_id
  peer_vpc_id = module.pass_staging.vpc_id
  auto_accept = true
}
