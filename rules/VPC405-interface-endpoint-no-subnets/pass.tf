resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_vpc_endpoint" "pass_secretsmanager" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.secretsmanager"
  vpc_endpoint_type = "Interface"
  subnet_ids        = aws_subnet.private[*].id
}

# Subnets added with standalone associations.
resource "aws_vpc_endpoint" "pass_kms_associated" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint_subnet_association" "kms" {
  count           = 2
  vpc_endpoint_id = aws_vpc_endpoint.pass_kms_associated.id
  subnet_id       = aws_subnet.private[count.index].id
}

# Gateway endpoints have no subnets.
resource "aws_vpc_endpoint" "pass_dynamodb_gateway" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.dynamodb"
  vpc_endpoint_type = "Gateway"
}
