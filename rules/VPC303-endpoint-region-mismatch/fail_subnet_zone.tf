# No provider region is configured (AWS_REGION at apply time), but the subnets are pinned
# to ap-south-1 zones: the DynamoDB endpoint naming ap-southeast-1 cannot be right.
resource "aws_vpc" "app" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.app.id
  cidr_block        = cidrsubnet(aws_vpc.app.cidr_block, 8, count.index)
  availability_zone = ["ap-south-1a", "ap-south-1b"][count.index]
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "fail_dynamodb_wrong_region" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.ap-southeast-1.dynamodb"
  route_table_ids = [aws_route_table.app.id]
}
