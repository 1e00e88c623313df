# A typo in the third octet puts the subnet outside its VPC: AWS rejects it.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "pass_app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.10.1.0/24"
}

resource "aws_subnet" "fail_typo" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.11.2.0/24"
}
