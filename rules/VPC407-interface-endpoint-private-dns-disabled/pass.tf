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

# A second SSM endpoint cannot enable private DNS: the first one already provides it.
resource "aws_vpc_endpoint" "pass_ssm_second" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type = "Interface"
}

# An endpoint service of another account often has no private DNS name.
resource "aws_vpc_endpoint" "pass_partner_service" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "Interface"
}

# Gateway endpoints have no private DNS setting.
resource "aws_vpc_endpoint" "pass_s3_gateway" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
}
