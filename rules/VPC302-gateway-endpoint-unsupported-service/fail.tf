# An EC2 API endpoint declared without `vpc_endpoint_type`: the type defaults to "Gateway",
# and EC2 has no gateway endpoints.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "app_a" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_vpc_endpoint" "fail_ec2_defaults_to_gateway" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.ec2"
  subnet_ids   = [aws_subnet.app_a.id]
}
