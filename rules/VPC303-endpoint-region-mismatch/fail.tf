# The endpoint is created through the us-east-1 provider alias, but its service name was
# copied from the eu-west-1 stack.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

resource "aws_vpc" "replica" {
  provider   = aws.virginia
  cidr_block = "10.50.0.0/16"
}

resource "aws_route_table" "replica_private" {
  provider = aws.virginia
  vpc_id   = aws_vpc.replica.id
}

resource "aws_vpc_endpoint" "fail_replica_s3" {
  provider        = aws.virginia
  vpc_id          = aws_vpc.replica.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.replica_private.id]
}
