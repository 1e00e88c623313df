# The DNS attributes and the private DNS switch come from variables without a value.
variable "enable_dns_hostnames" {
  type = bool
}

variable "private_dns" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = var.enable_dns_hostnames
}

resource "aws_vpc_endpoint" "pass_unknown_vpc_dns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc" "no_dns" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_endpoint" "pass_unknown_private_dns" {
  vpc_id              = aws_vpc.no_dns.id
  service_name        = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}

# A VPC outside the configuration: its settings are not known.
resource "aws_vpc_endpoint" "pass_external_vpc" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
