resource "aws_subnet" "broken" {
  vpc_id     = aws_vpc.still_loaded.id
  cidr_block = "10.0.1.0/24" "extra"
}
