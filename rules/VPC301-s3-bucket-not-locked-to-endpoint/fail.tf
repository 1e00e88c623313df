# The VPC reaches S3 through a gateway endpoint, but the data bucket has no policy: anyone
# with IAM permissions reaches it from anywhere.
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

resource "aws_s3_bucket" "fail_data_without_policy" {
  bucket = "example-app-data"
}
