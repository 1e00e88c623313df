# HTTPS is admitted from the application's security group: which addresses that covers is
# not known, so the rule stays silent. The same for a prefix list.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_vpc_endpoint" "pass_from_app_sg" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.endpoints.id]
}

resource "aws_security_group" "from_prefix_list" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "https_from_corp" {
  security_group_id = aws_security_group.from_prefix_list.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = "pl-0123456789abcdef0"
}

resource "aws_vpc_endpoint" "pass_from_prefix_list" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.from_prefix_list.id]
}
