# Amazon assigns the VPC's IPv6 /56 at apply time: no subnet IPv6 block can be judged.
resource "aws_vpc" "main" {
  cidr_block                       = "10.50.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "pass_derived" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.50.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_subnet" "pass_literal" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.50.2.0/24"
  ipv6_cidr_block = "2600:1f18:2000:2::/64"
}
