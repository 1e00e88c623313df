# The default provider is in eu-central-1; the interface endpoint names us-west-2.
provider "aws" {
  region = "eu-central-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_vpc_endpoint" "fail_sts_other_region" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.us-west-2.sts"
  vpc_endpoint_type = "Interface"
}
