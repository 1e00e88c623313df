# Only one of the two subnets has a flow log; a network-interface flow log covers only that
# interface, and the other VPC's flow log does not cover this one.
variable "eni_id" {
  type    = string
  default = "eni-0123456789abcdef0"
}

resource "aws_vpc" "fail_half_logged" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.fail_half_logged.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.fail_half_logged.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_flow_log" "public_subnet" {
  subnet_id            = aws_subnet.public.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}

resource "aws_flow_log" "one_interface" {
  eni_id               = var.eni_id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}

resource "aws_vpc" "logged" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_flow_log" "logged" {
  vpc_id               = aws_vpc.logged.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
