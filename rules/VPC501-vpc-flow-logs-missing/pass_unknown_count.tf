# The flow log exists only when an unknown flag is set: it might exist.
variable "enable_flow_log" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "pass_maybe" {
  count                = var.enable_flow_log ? 1 : 0
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
