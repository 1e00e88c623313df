# The route tables come from a variable without value, and an association resource names
# an endpoint vpclint cannot know: either might associate the endpoints.
variable "route_table_ids" {
  type = list(string)
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

resource "aws_vpc_endpoint" "pass_s3_route_tables_from_variable" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = var.route_table_ids
}

resource "aws_vpc_endpoint" "pass_dynamodb_maybe_associated" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
}

resource "aws_vpc_endpoint_route_table_association" "pass_unknown_endpoint" {
  vpc_endpoint_id = var.endpoint_id
  route_table_id  = aws_route_table.private.id
}
