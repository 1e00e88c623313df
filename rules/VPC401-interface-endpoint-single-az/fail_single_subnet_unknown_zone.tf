# Each endpoint has exactly one subnet. vpclint cannot see that subnet's zone (AWS picks it,
# or the subnet is made elsewhere), but one subnet is one Availability Zone.
data "aws_subnet" "shared_private" {
  tags = {
    Name = "shared-private"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "no_zone" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.9.0/24"
}

resource "aws_vpc_endpoint" "fail_kms_zone_chosen_by_aws" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.kms"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.no_zone.id]
}

resource "aws_vpc_endpoint" "fail_ssm_literal_subnet" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type = "Interface"
  subnet_ids        = ["subnet-0a1b2c3d4e5f60718"]
}

resource "aws_vpc_endpoint" "fail_logs_data_source_subnet" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [data.aws_subnet.shared_private.id]
}
