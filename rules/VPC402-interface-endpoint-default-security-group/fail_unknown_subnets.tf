# The subnets come from a variable with no value here, but that says nothing about security
# groups: none is attached, so the VPC's default security group guards the endpoint.
variable "endpoint_subnet_ids" {
  type = list(string)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "fail_ssm_default_sg" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type = "Interface"
  subnet_ids        = var.endpoint_subnet_ids
}
