# Systems Manager endpoints built with for_each, all missing `vpc_endpoint_type`.
provider "aws" {
  region = "us-east-2"
}

resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc_endpoint" "fail_ssm" {
  for_each     = toset(["ssm", "ssmmessages", "ec2messages"])
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.us-east-2.${each.key}"
}
