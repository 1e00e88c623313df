# Unknown sources, an unknown VPC block, an external security group and a rule whose group
# is not known all keep the rule silent.
variable "allowed_cidrs" {
  type = list(string)
}

variable "vpc_cidr" {
  type = string
}

variable "some_group_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "unknown_sources" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = var.allowed_cidrs
  }
}

resource "aws_vpc_endpoint" "pass_unknown_sources" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.unknown_sources.id]
}

resource "aws_vpc_endpoint" "pass_external_group" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type  = "Interface"
  security_group_ids = ["sg-0123456789abcdef0"]
}

resource "aws_vpc" "unknown_block" {
  cidr_block = var.vpc_cidr
}

resource "aws_security_group" "https_from_ten" {
  vpc_id = aws_vpc.unknown_block.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_vpc_endpoint" "pass_unknown_vpc_block" {
  vpc_id             = aws_vpc.unknown_block.id
  service_name       = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.https_from_ten.id]
}

resource "aws_security_group" "no_rules_here" {
  vpc_id = aws_vpc.main.id
}

# This rule might belong to aws_security_group.no_rules_here.
resource "aws_security_group_rule" "https_somewhere" {
  type              = "ingress"
  security_group_id = var.some_group_id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/16"]
}

resource "aws_vpc_endpoint" "pass_rule_of_unknown_group" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.no_rules_here.id]
}
