# No S3 gateway endpoint in this stack (only DynamoDB, and an S3 interface endpoint whose
# type is unknown): by default the rule does not apply.
variable "s3_endpoint_type" {
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

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "s3_unknown_type" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = var.s3_endpoint_type
}

resource "aws_s3_bucket" "pass_reports" {
  bucket = "example-reports"
}
