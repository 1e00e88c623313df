provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

module "net" {
  source   = "./modules/net"
  for_each = { prod = "10.10.0.0/16", staging = "10.20.0.0/16" }

  name         = each.key
  cidr         = each.value
  subnet_count = 2
}

module "dr" {
  source = "./modules/net"
  count  = 1
  providers = {
    aws = aws.west
  }

  name         = "dr"
  cidr         = "10.30.0.0/16"
  subnet_count = 1
}

resource "aws_vpc_peering_connection" "prod_to_staging" {
  vpc_id      = module.net["prod"].vpc_id
  peer_vpc_id = module.net["staging"].vpc_id
  auto_accept = true
}

resource "aws_route" "prod_to_staging" {
  route_table_id            = module.net["prod"].route_table_id
  destination_cidr_block    = module.net["staging"].cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.prod_to_staging.id
}

resource "aws_route" "to_dr" {
  route_table_id         = module.net["prod"].route_table_id
  destination_cidr_block = module.dr[0].cidr
  gateway_id             = "igw-0123456789abcdef0"
}
