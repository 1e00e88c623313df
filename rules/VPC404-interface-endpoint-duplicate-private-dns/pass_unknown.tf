# The second endpoint's service and the third's private DNS switch are not known.
variable "service" {
  type = string
}

variable "private_dns" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "pass_ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "pass_unknown_service" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.${var.service}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "pass_unknown_private_dns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}
