# The subnets come from a variable with no value here, and each of them gets its own
# subnet-level flow log: they may well all be covered.
variable "private_subnets" {
  type = map(string)
}

resource "aws_vpc" "pass_maybe_covered" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "private" {
  for_each   = var.private_subnets
  vpc_id     = aws_vpc.pass_maybe_covered.id
  cidr_block = each.value
}

resource "aws_flow_log" "private" {
  for_each             = aws_subnet.private
  subnet_id            = each.value.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
