# private_dns_enabled is not set, and Terraform's default is false.
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "fail_ecr_dkr_default" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_endpoint_type = "Interface"
}

# This VPC would also need DNS hostnames turned on.
resource "aws_vpc" "no_hostnames" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_endpoint" "fail_sts_default_no_hostnames" {
  vpc_id            = aws_vpc.no_hostnames.id
  service_name      = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type = "Interface"
}
