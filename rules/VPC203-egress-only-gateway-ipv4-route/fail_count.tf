# One private route table per AZ, built with count; every one of them sends
# 0.0.0.0/0 to the egress-only gateway.
locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  count  = length(local.azs)
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "fail_ipv4_to_eigw" {
  count                  = length(local.azs)
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
}
