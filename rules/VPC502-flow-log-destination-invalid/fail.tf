# CloudWatch Logs is the default destination; without iam_role_arn AWS cannot deliver.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_cloudwatch_log_group" "flow" {
  name = "/vpc/main/flow-logs"
}

resource "aws_flow_log" "fail_no_role" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
}
