# Service names built from the region of the provider each endpoint uses.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

data "aws_region" "virginia" {
  provider = aws.virginia
}

resource "aws_vpc" "primary" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_vpc" "replica" {
  provider   = aws.virginia
  cidr_block = "10.50.0.0/16"
}

resource "aws_vpc_endpoint" "pass_primary_s3" {
  vpc_id       = aws_vpc.primary.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_vpc_endpoint" "pass_replica_s3" {
  provider     = aws.virginia
  vpc_id       = aws_vpc.replica.id
  service_name = "com.amazonaws.${data.aws_region.virginia.name}.s3"
}
