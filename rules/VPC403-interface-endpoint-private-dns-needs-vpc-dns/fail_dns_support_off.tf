# DNS hostnames on, but DNS support explicitly off.
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = false
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "fail_sts_private_dns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
