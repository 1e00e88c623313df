# The lock names the DynamoDB endpoint: no S3 request comes through it.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_s3_bucket_policy" "fail_locked_to_dynamodb_endpoint" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.dynamodb.id } }
    }]
  })
}
