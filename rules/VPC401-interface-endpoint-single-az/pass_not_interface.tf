# Only Interface endpoints are checked; a Gateway Load Balancer endpoint lives in one
# subnet by design, and an endpoint without vpc_endpoint_type is a Gateway endpoint.
variable "endpoint_type" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "inspection" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_vpc_endpoint" "pass_gwlb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.inspection.id]
}

resource "aws_vpc_endpoint" "pass_unknown_type" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type = var.endpoint_type
  subnet_ids        = [aws_subnet.inspection.id]
}
