# The policy comes from a variable without value, and a policy resource names an endpoint
# vpclint cannot resolve: either might restrict the endpoints.
variable "endpoint_policy" {
  type = string
}

variable "endpoint_id" {
  type = string
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "pass_s3_policy_from_variable" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
  policy          = var.endpoint_policy
}

resource "aws_vpc_endpoint" "pass_dynamodb_maybe_policy" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint_policy" "pass_unknown_endpoint" {
  vpc_endpoint_id = var.endpoint_id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "*"
    }]
  })
}
