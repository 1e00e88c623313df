# The subnet list is a variable without a value; another endpoint gets its subnets from an
# association whose endpoint is not known, which might be it.
variable "subnet_ids" {
  type = list(string)
}

variable "endpoint_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_vpc_endpoint" "pass_unknown_subnets" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type = "Interface"
  subnet_ids        = var.subnet_ids
}

resource "aws_vpc_endpoint" "pass_maybe_associated" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint_subnet_association" "some_endpoint" {
  vpc_endpoint_id = var.endpoint_id
  subnet_id       = aws_subnet.private.id
}
