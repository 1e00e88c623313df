# A /20 "database" range was carved over the /24 application subnets.
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.30.0.0/24"
}

resource "aws_subnet" "fail_database" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.30.0.0/20"
}
