# The groups' ingress rules are not all known: a dynamic block over a variable without a
# value, and the attribute form of `ingress` (a list of objects). Either may admit HTTPS.
variable "https_ports" {
  type = list(number)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "dynamic_rules" {
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.https_ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = [aws_vpc.main.cidr_block]
    }
  }
}

resource "aws_vpc_endpoint" "pass_dynamic_rules" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.dynamic_rules.id]
}

resource "aws_security_group" "attribute_rules" {
  vpc_id = aws_vpc.main.id

  ingress = [{
    description      = "HTTPS from the VPC"
    protocol         = "tcp"
    from_port        = 443
    to_port          = 443
    cidr_blocks      = [aws_vpc.main.cidr_block]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
  }]
}

resource "aws_vpc_endpoint" "pass_attribute_rules" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.attribute_rules.id]
}
