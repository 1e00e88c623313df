# The peering says the peer is in us-west-2, but the peer VPC was created with the
# default (us-east-1) provider: both VPCs are in one region, the security group
# reference is valid, and the peering connection itself is what fails. Not VPC104.
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  peer_region = "us-west-2"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.db.id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
