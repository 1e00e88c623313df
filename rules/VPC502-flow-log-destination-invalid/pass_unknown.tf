# Values that are unknown count as set; an unknown destination type is not checked.
variable "flow_log_role_arn" {
  type = string
}

variable "destination_type" {
  type = string
}

variable "vpc_id" {
  type = string
}

resource "aws_flow_log" "pass_unknown_role" {
  vpc_id          = var.vpc_id
  traffic_type    = "ALL"
  log_destination = "arn:aws:logs:eu-west-1:123456789012:log-group:/vpc/flow-logs"
  iam_role_arn    = var.flow_log_role_arn
}

resource "aws_flow_log" "pass_unknown_type" {
  vpc_id               = var.vpc_id
  traffic_type         = "ALL"
  log_destination_type = var.destination_type
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
