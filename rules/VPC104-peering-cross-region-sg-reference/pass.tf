# Cross-region peering done right: the database security group admits the app
# VPC's CIDR block. A same-region peering may reference the peer's group.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "db" {
  provider   = aws.west
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "cache" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  peer_region = "us-west-2"
}

resource "aws_vpc_peering_connection" "app_cache" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.cache.id
  auto_accept = true
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group" "db" {
  provider = aws.west
  name     = "db"
  vpc_id   = aws_vpc.db.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.app.cidr_block]
  }
}

resource "aws_security_group" "cache" {
  name   = "cache"
  vpc_id = aws_vpc.cache.id

  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
