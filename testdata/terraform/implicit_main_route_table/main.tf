# No aws_default_route_table: the main route table is synthesized from the VPC, so the
# routes below are linked (and other tables are not marked incomplete).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "default" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gw.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  route_table_ids   = [aws_vpc.main.default_route_table_id, aws_route_table.private.id]
}

# The default security group is managed: references to it resolve to this node.
resource "aws_vpc" "managed" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_default_security_group" "managed" {
  vpc_id = aws_vpc.managed.id
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id             = aws_vpc.managed.id
  service_name       = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_vpc.managed.default_security_group_id, aws_vpc.main.default_security_group_id]
}
