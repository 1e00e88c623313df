# The adopted default VPC has a flow log.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_default_vpc" "default" {}

resource "aws_flow_log" "pass_default_vpc" {
  vpc_id               = aws_default_vpc.default.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
