# The second subnet exists only when an input with no value says so.
variable "create_legacy" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.60.1.0/24"
}

resource "aws_subnet" "pass_maybe_legacy" {
  count      = var.create_legacy ? 1 : 0
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.60.1.0/24"
}
