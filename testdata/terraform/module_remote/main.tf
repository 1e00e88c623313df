# `vpc` was installed by `terraform init` (see .terraform/modules/modules.json);
# `endpoints` was not, so its outputs are unknown and a note says so.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  cidr = "10.50.0.0/16"
}

module "endpoints" {
  source = "git::https://example.com/endpoints.git?ref=v1"
}

resource "aws_route_table" "extra" {
  vpc_id = module.vpc.vpc_id
}

resource "aws_route" "to_endpoint_service" {
  route_table_id         = aws_route_table.extra.id
  destination_cidr_block = "10.99.0.0/16"
  vpc_endpoint_id        = module.endpoints.endpoint_id
}
