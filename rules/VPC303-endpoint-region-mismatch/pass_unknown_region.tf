# No provider region is configured (it comes from AWS_REGION at apply time): nothing to compare.
resource "aws_vpc" "app" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_vpc_endpoint" "pass_region_from_environment" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.us-west-2.s3"
}
