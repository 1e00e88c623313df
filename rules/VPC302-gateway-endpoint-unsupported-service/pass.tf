# S3, DynamoDB and S3 Express One Zone as gateway endpoints; EC2 as an interface endpoint.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "app_a" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "pass_s3" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "pass_dynamodb" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "pass_s3express" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3express"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "pass_ec2_interface" {
  vpc_id              = aws_vpc.app.id
  service_name        = "com.amazonaws.eu-west-1.ec2"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.app_a.id]
  private_dns_enabled = true
}
