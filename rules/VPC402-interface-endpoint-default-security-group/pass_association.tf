# The security group is attached with a standalone association resource.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "pass_sg_by_association" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint_security_group_association" "kms" {
  vpc_endpoint_id   = aws_vpc_endpoint.pass_sg_by_association.id
  security_group_id = aws_security_group.endpoints.id
}
