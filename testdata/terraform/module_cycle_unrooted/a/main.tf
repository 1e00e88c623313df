# `a` and `b` call each other and nothing else calls either: neither is a root module.
module "b" {
  source = "../b"
}

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}
