# The endpoint's VPC comes from a data source and one route table is a literal ID of
# existing infrastructure: vpclint cannot tell which VPC either belongs to.
provider "aws" {
  region = "eu-west-1"
}

data "aws_vpc" "existing" {
  tags = { Name = "shared" }
}

resource "aws_vpc" "app" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_route_table" "app_private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "pass_existing_vpc_s3" {
  vpc_id       = data.aws_vpc.existing.id
  service_name = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [
    aws_route_table.app_private.id,
    "rtb-0123456789abcdef0",
  ]
}
