# The S3 endpoint allows only the stack's bucket; the DynamoDB endpoint only the account's
# tables. Interface endpoints of other services are not this rule's concern.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-app-artifacts"
}

resource "aws_vpc_endpoint" "pass_s3_own_bucket" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
      Resource  = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
    }]
  })
}

resource "aws_vpc_endpoint" "pass_dynamodb_own_account" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
      Condition = { StringEquals = { "aws:ResourceAccount" = "111122223333" } }
    }]
  })
}

resource "aws_vpc_endpoint" "pass_ec2_interface" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.eu-west-1.ec2"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private.id]
}
