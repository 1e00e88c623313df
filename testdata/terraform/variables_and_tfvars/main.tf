resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
  tags = {
    tfvars = var.from_tfvars
    auto   = var.from_auto
    cli    = var.from_cli
  }
}

resource "aws_subnet" "private" {
  count             = var.subnet_count
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 10)
  availability_zone = var.unset
}

resource "aws_s3_bucket" "named" {
  bucket = "${var.from_auto}-${var.from_tfvars}-${var.from_cli}"
}
