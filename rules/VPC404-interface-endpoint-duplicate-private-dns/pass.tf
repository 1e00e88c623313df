resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "other" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "pass_ssm_main" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

# Same service in another VPC.
resource "aws_vpc_endpoint" "pass_ssm_other_vpc" {
  vpc_id              = aws_vpc.other.id
  service_name        = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

# Same service and VPC, but without private DNS (reached by its endpoint-specific name).
resource "aws_vpc_endpoint" "pass_ssm_main_no_private_dns" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type = "Interface"
}

# Another service in the same VPC.
resource "aws_vpc_endpoint" "pass_ssmmessages_main" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.ssmmessages"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
