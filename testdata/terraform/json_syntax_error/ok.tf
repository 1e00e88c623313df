resource "aws_vpc" "still_linted" {
  cidr_block = "10.9.0.0/16"
}
