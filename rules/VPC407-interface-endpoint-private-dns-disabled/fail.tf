# Private DNS explicitly off: ssm.eu-west-1.amazonaws.com keeps resolving to public addresses.
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "fail_ssm_no_private_dns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}
