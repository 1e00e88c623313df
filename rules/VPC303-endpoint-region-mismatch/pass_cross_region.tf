# A cross-region interface endpoint to a PrivateLink service in us-east-1: `service_region`
# says the other region is intended.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "app_a" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.60.1.0/24"
}

resource "aws_vpc_endpoint" "pass_cross_region_service" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  service_region    = "us-east-1"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.app_a.id]
}
