resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
}

# A standalone rule admits HTTPS from a part of the VPC.
resource "aws_security_group_rule" "https_from_private" {
  type              = "ingress"
  security_group_id = aws_security_group.endpoints.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.128.0/17"]
}

resource "aws_vpc_endpoint" "pass_ssm" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.endpoints.id]
}

# Two groups: the second one admits all traffic from anywhere.
resource "aws_security_group" "closed" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "open" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "pass_two_groups" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.closed.id, aws_security_group.open.id]
}
