# The staging public route table was copied from production and still uses its gateway.
resource "aws_vpc" "production" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "staging" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_internet_gateway" "production" {
  vpc_id = aws_vpc.production.id
}

resource "aws_internet_gateway" "staging" {
  vpc_id = aws_vpc.staging.id
}

resource "aws_route_table" "staging_public" {
  vpc_id = aws_vpc.staging.id
}

resource "aws_route" "fail_staging_default" {
  route_table_id         = aws_route_table.staging_public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.production.id
}
