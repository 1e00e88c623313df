resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_cloudwatch_log_group" "flow" {
  name = "/vpc/main/flow-logs"
}

resource "aws_iam_role" "flow" {
  name               = "vpc-flow-logs"
  assume_role_policy = "{}"
}

resource "aws_flow_log" "pass_cloudwatch" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow.arn
}

# The older log_group_name form.
resource "aws_flow_log" "pass_cloudwatch_by_name" {
  vpc_id         = aws_vpc.main.id
  traffic_type   = "REJECT"
  log_group_name = aws_cloudwatch_log_group.flow.name
  iam_role_arn   = aws_iam_role.flow.arn
}

resource "aws_flow_log" "pass_s3" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket/main/"
}

resource "aws_flow_log" "pass_firehose" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "kinesis-data-firehose"
  log_destination      = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/flow-logs"
}

resource "aws_flow_log" "pass_eni" {
  eni_id               = "eni-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
