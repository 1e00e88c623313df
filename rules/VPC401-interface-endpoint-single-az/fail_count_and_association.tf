# count-built subnets, all placed in the same zone by a local, one of them attached with a
# standalone subnet association.
locals {
  zone = "eu-central-1b"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = local.zone
}

resource "aws_vpc_endpoint" "fail_sts_same_zone" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-central-1.sts"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private[0].id]
}

resource "aws_vpc_endpoint_subnet_association" "sts_second" {
  vpc_endpoint_id = aws_vpc_endpoint.fail_sts_same_zone.id
  subnet_id       = aws_subnet.private[1].id
}
