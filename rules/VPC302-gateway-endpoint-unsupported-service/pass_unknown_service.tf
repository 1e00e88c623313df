# The service name and the type come from variables without values: nothing is known.
variable "service" {
  type = string
}

variable "endpoint_type" {
  type = string
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_endpoint" "pass_unknown_service" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.${var.service}"
}

resource "aws_vpc_endpoint" "pass_unknown_type" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.ec2"
  vpc_endpoint_type = var.endpoint_type
}
