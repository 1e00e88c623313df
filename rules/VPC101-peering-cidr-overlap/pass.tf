resource "aws_vpc" "pass_payments" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "pass_ledger" {
  cidr_block = "10.21.0.0/16"
}

resource "aws_vpc_peering_connection" "pass_payments_to_ledger" {
  vpc_id      = aws_vpc.pass_payments.id
  peer_vpc_id = aws_vpc.pass_ledger.id
  auto_accept = true
}
