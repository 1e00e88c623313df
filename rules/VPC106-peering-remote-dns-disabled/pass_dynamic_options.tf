# The requester's options come from a dynamic block over a variable: whether remote DNS
# resolution is on is not known, so nothing is reported.
variable "requester_options" {
  type = list(object({ dns = bool }))
}

resource "aws_vpc" "app" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc" "db" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_vpc_peering_connection" "pass_dynamic_options" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true

  dynamic "requester" {
    for_each = var.requester_options
    content {
      allow_remote_vpc_dns_resolution = requester.value.dns
    }
  }

  dynamic "accepter" {
    for_each = var.requester_options
    content {
      allow_remote_vpc_dns_resolution = accepter.value.dns
    }
  }
}
