# Delivery is configured, but nothing to log.
resource "aws_flow_log" "fail_no_target" {
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
