# A hub-and-spoke network: the shared-services VPC is peered with the app VPC and with
# the analytics VPC. Each VPC has one private subnet with its own route table.

provider "aws" {
  region = var.region
}

resource "aws_vpc" "shared" {
  cidr_block           = var.vpc_cidrs["shared"]
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "shared-services" }
}

resource "aws_vpc" "app" {
  cidr_block = var.vpc_cidrs["app"]
  tags       = { Name = "app" }
}

resource "aws_vpc" "analytics" {
  cidr_block = var.vpc_cidrs["analytics"]
  tags       = { Name = "analytics" }
}

resource "aws_vpc" "legacy" {
  cidr_block = var.vpc_cidrs["legacy"]
  tags       = { Name = "legacy" }
}

resource "aws_subnet" "shared_private" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = cidrsubnet(aws_vpc.shared.cidr_block, 8, 1)
  availability_zone = "${var.region}a"
}

resource "aws_subnet" "app_private" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = cidrsubnet(aws_vpc.app.cidr_block, 8, 1)
  availability_zone = "${var.region}a"
}

resource "aws_subnet" "analytics_private" {
  vpc_id            = aws_vpc.analytics.id
  cidr_block        = cidrsubnet(aws_vpc.analytics.cidr_block, 8, 1)
  availability_zone = "${var.region}a"
}

resource "aws_route_table" "shared_private" {
  vpc_id = aws_vpc.shared.id
}

resource "aws_route_table" "app_private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route_table" "analytics_private" {
  vpc_id = aws_vpc.analytics.id
}

resource "aws_route_table_association" "shared_private" {
  subnet_id      = aws_subnet.shared_private.id
  route_table_id = aws_route_table.shared_private.id
}

resource "aws_route_table_association" "app_private" {
  subnet_id      = aws_subnet.app_private.id
  route_table_id = aws_route_table.app_private.id
}

resource "aws_route_table_association" "analytics_private" {
  subnet_id      = aws_subnet.analytics_private.id
  route_table_id = aws_route_table.analytics_private.id
}
