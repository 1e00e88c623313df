# The security group list comes from a variable without a value.
variable "endpoint_security_group_ids" {
  type = list(string)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "pass_unknown_groups" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type  = "Interface"
  security_group_ids = var.endpoint_security_group_ids
}
