# No VPC-level flow log, but every subnet has one (built with for_each).
locals {
  subnets = {
    a = "10.0.1.0/24"
    b = "10.0.2.0/24"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "this" {
  for_each   = local.subnets
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
}

resource "aws_cloudwatch_log_group" "flow" {
  name = "/vpc/flow-logs"
}

resource "aws_flow_log" "pass_per_subnet" {
  for_each        = aws_subnet.this
  subnet_id       = each.value.id
  traffic_type    = "REJECT"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = "arn:aws:iam::123456789012:role/flow-logs"
}
