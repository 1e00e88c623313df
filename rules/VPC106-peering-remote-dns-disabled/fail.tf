# Both VPCs give instances DNS hostnames, but the peering resolves none of them to
# private addresses: lookups of the peer's public names return public IPs.
resource "aws_vpc" "app" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "db" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_peering_connection" "fail_no_remote_dns" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}
