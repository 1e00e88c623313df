# The flow log goes to CloudWatch Logs, not to the bucket: the bucket is an ordinary data
# bucket and must still be locked to the endpoint.
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

resource "aws_cloudwatch_log_group" "flow_logs" {
  name = "/vpc/app"
}

resource "aws_flow_log" "app" {
  vpc_id          = aws_vpc.app.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = "arn:aws:iam::111122223333:role/flow-logs"
}

resource "aws_s3_bucket" "fail_data" {
  bucket = "example-app-data"
}
