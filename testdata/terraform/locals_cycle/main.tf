locals {
  a = local.b
  b = "${local.a}/16"
}

resource "aws_vpc" "cyclic" {
  cidr_block = local.a
}
