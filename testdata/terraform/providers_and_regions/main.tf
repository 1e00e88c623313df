provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "peer"
  region = "us-east-1"
}

variable "region" {
  default = "eu-central-1"
}

data "aws_region" "current" {}

data "aws_region" "peer" {
  provider = aws.peer
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "peer" {
  provider   = aws.peer
  cidr_block = "10.1.0.0/16"
}

# AWS provider v6: a resource may name its own region.
resource "aws_vpc" "pinned" {
  region     = "ap-southeast-2"
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.${data.aws_region.current.name}.s3"
}

resource "aws_vpc_endpoint" "peer_s3" {
  provider     = aws.peer
  vpc_id       = aws_vpc.peer.id
  service_name = "com.amazonaws.${data.aws_region.peer.region}.s3"
}

resource "aws_vpc_peering_connection" "main_to_peer" {
  vpc_id      = aws_vpc.main.id
  peer_vpc_id = aws_vpc.peer.id
  peer_region = data.aws_region.peer.name
}
