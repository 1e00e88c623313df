resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_cloudwatch_log_group" "flow" {
  name = "/vpc/main/flow-logs"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

# S3 destination without the bucket.
resource "aws_flow_log" "fail_s3_no_bucket" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
}

# CloudWatch Logs without log group and without role.
resource "aws_flow_log" "fail_cloudwatch_nothing" {
  subnet_id    = aws_subnet.private.id
  traffic_type = "REJECT"
}

# Firehose without the delivery stream.
resource "aws_flow_log" "fail_firehose_no_stream" {
  subnet_id            = aws_subnet.private.id
  traffic_type         = "ALL"
  log_destination_type = "kinesis-data-firehose"
}

# A role but no log group.
resource "aws_flow_log" "fail_cloudwatch_no_group" {
  vpc_id       = aws_vpc.main.id
  traffic_type = "ALL"
  iam_role_arn = "arn:aws:iam::123456789012:role/flow-logs"
}
