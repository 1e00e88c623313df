# The app VPC (us-east-1) is peered with the database VPC (us-west-2). The database
# security group admits the app security group by reference, which AWS only
# supports within one region.
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

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  peer_region = "us-west-2"
}

resource "aws_vpc_peering_connection_accepter" "db" {
  provider                  = aws.west
  vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  auto_accept               = true
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
    description     = "PostgreSQL from the app tier"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
