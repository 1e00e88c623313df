# HTTPS is allowed only from the on-premises range, and the VPC only gets port 80 (from a
# standalone rule).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "fail_endpoint_on_prem_only" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["192.168.0.0/16"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "http_from_vpc" {
  security_group_id = aws_security_group.fail_endpoint_on_prem_only.id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = aws_vpc.main.cidr_block
}

resource "aws_security_group_rule" "udp_443_from_vpc" {
  type              = "ingress"
  security_group_id = aws_security_group.fail_endpoint_on_prem_only.id
  protocol          = "udp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/16"]
}

resource "aws_vpc_endpoint" "execute_api" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.execute-api"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.fail_endpoint_on_prem_only.id]
}
