# A typo in the VPC's name: Terraform refuses to plan.
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "fail_typo" {
  vpc_id     = aws_vpc.mian.id
  cidr_block = "10.10.1.0/24"
}
