# Two application VPCs carved from the same /16: the peering cannot be created.
resource "aws_vpc" "fail_payments" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "fail_ledger" {
  cidr_block = "10.20.128.0/17"
}

resource "aws_vpc_peering_connection" "fail_payments_to_ledger" {
  vpc_id      = aws_vpc.fail_payments.id
  peer_vpc_id = aws_vpc.fail_ledger.id
  auto_accept = true
}
