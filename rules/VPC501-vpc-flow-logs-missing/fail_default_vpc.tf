# The default VPC, adopted with aws_default_vpc, has no flow log either.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_default_vpc" "fail_default" {}
