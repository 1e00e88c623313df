# Same peering across regions, with the reference in standalone rule resources:
# the legacy aws_security_group_rule and the newer per-rule resource.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "frankfurt"
  region = "eu-central-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  provider   = aws.frankfurt
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  peer_region = "eu-central-1"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group" "db" {
  provider = aws.frankfurt
  name     = "db"
  vpc_id   = aws_vpc.db.id
}

resource "aws_security_group_rule" "fail_app_egress_to_db" {
  type                     = "egress"
  security_group_id        = aws_security_group.app.id
  source_security_group_id = aws_security_group.db.id
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "fail_db_from_app" {
  provider                     = aws.frankfurt
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.app.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}
