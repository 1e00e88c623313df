# The bucket denies every request that does not come through the S3 gateway endpoint
# (condition keys are case-insensitive).
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

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_s3_bucket_policy" "pass_locked" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyOutsideVpce"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
        Condition = {
          StringNotEquals = { "aws:sourceVpce" = aws_vpc_endpoint.s3.id }
          Bool            = { "aws:PrincipalIsAWSService" = "false" }
        }
      },
    ]
  })
}
