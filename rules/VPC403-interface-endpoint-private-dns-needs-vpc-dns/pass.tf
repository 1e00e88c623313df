resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "pass_ssm_private_dns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

# Private DNS off (the default): the VPC's DNS settings do not matter.
resource "aws_vpc" "no_dns" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_endpoint" "pass_kms_no_private_dns" {
  vpc_id            = aws_vpc.no_dns.id
  service_name      = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type = "Interface"
}
