variable "zones" {
  type = list(string)
}

resource "aws_vpc" "this" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "zone" {
  for_each   = toset(var.zones)
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.2.1.0/24"
}
