resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}
