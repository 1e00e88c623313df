# Targets and VPCs vpclint cannot place: literal IDs, data sources, an attachment that
# exists only for an input with no value, a route table whose VPC is an input.
variable "attach_shared" {
  type = bool
}

variable "vpc_id" {
  type = string
}

data "aws_internet_gateway" "existing" {
  internet_gateway_id = "igw-0123456789abcdef0"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_vpc" "workload" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_internet_gateway" "maybe_shared" {}

resource "aws_internet_gateway_attachment" "maybe_shared" {
  count               = var.attach_shared ? 1 : 0
  internet_gateway_id = aws_internet_gateway.maybe_shared.id
  vpc_id              = aws_vpc.shared.id
}

resource "aws_route_table" "workload" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0123456789abcdef0"
  }

  route {
    cidr_block = "192.0.2.0/24"
    gateway_id = data.aws_internet_gateway.existing.id
  }
}

resource "aws_route_table" "input_vpc" {
  vpc_id = var.vpc_id
}

resource "aws_route" "pass_unknown_table_vpc" {
  route_table_id         = aws_route_table.input_vpc.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.maybe_shared.id
}
