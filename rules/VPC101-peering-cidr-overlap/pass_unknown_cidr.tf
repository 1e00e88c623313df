# The peer's block comes from a data source: vpclint cannot know it, so it says nothing.
data "aws_vpc" "shared_services" {
  tags = {
    Name = "shared-services"
  }
}

resource "aws_vpc" "pass_app" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_vpc" "pass_mirror" {
  cidr_block = data.aws_vpc.shared_services.cidr_block
}

variable "unset_cidr" {
  type = string
}

resource "aws_vpc" "pass_from_variable" {
  cidr_block = var.unset_cidr
}

resource "aws_vpc_peering_connection" "pass_app_to_mirror" {
  vpc_id      = aws_vpc.pass_app.id
  peer_vpc_id = aws_vpc.pass_mirror.id
  auto_accept = true
}

resource "aws_vpc_peering_connection" "pass_app_to_variable" {
  vpc_id      = aws_vpc.pass_app.id
  peer_vpc_id = aws_vpc.pass_from_variable.id
  auto_accept = true
}

# A peer outside this configuration: its CIDRs are unknown.
resource "aws_vpc_peering_connection" "pass_app_to_external" {
  vpc_id      = aws_vpc.pass_app.id
  peer_vpc_id = "vpc-0a1b2c3d4e5f60718"
}
