resource "aws_vpc" "still_loaded" {
  cidr_block = "10.0.0.0/16"
}
