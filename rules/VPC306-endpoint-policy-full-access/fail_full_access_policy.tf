# The policy is written out, but it is the default full-access policy.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "fail_dynamodb_full_access" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
    }]
  })
}
