# Endpoints built with for_each, each with an explicitly empty security group list.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_vpc_endpoint" "fail_no_groups" {
  for_each = toset(["ssm", "ssmmessages"])

  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.${each.key}"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.private.id]
  security_group_ids = []
}
