resource "aws_vpc" "half_written" {
  cidr_block = 
}
