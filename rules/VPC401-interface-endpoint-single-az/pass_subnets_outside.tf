# Two subnets made outside this configuration: vpclint cannot tell their zones, so it cannot
# tell whether they differ.
variable "second_subnet_id" {
  type = string
}

resource "aws_vpc_endpoint" "pass_two_subnets_outside" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type = "Interface"
  subnet_ids        = ["subnet-0a1b2c3d4e5f60718", var.second_subnet_id]
}
