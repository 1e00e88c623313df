# The peer region comes from a variable without a default: it might be this
# region, so the reference is not reported.
variable "peer_region" {
  type = string
}

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
  peer_region = var.peer_region
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
