# The option comes from a variable without a default; and two VPCs without DNS
# hostnames (Terraform's default) have no public DNS names to resolve.
variable "remote_dns" {
  type = bool
}

resource "aws_vpc" "app" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "db" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_peering_connection" "pass_unknown_option" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true

  accepter {
    allow_remote_vpc_dns_resolution = var.remote_dns
  }
}

resource "aws_vpc" "batch_a" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "batch_b" {
  cidr_block = "10.11.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_no_hostnames" {
  vpc_id      = aws_vpc.batch_a.id
  peer_vpc_id = aws_vpc.batch_b.id
  auto_accept = true
}
