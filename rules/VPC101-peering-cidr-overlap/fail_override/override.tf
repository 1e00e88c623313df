resource "aws_vpc" "b" {
  cidr_block = "10.0.0.0/16"
}
