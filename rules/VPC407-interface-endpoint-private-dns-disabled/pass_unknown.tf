variable "private_dns" {
  type = bool
}

variable "service" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "pass_unknown_switch" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}

resource "aws_vpc_endpoint" "pass_unknown_service" {
  vpc_id            = aws_vpc.main.id
  service_name      = var.service
  vpc_endpoint_type = "Interface"
}
