# The flow log is created by a local module that receives the VPC's ID.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

module "flow_log" {
  source = "./modules/flow_log"
  vpc_id = aws_vpc.main.id
}
