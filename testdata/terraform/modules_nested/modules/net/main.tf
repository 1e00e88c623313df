variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "subnet_count" {
  type    = number
  default = 1
}

variable "settings" {
  type = object({
    dns_hostnames = optional(bool, true)
    tags          = optional(map(string), {})
  })
  default = {}
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = var.settings.dns_hostnames
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

module "subnets" {
  source = "./modules/subnets"

  vpc_id         = aws_vpc.this.id
  cidrs          = [for i in range(var.subnet_count) : cidrsubnet(var.cidr, 8, i)]
  route_table_id = aws_route_table.private.id
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "cidr" {
  value = aws_vpc.this.cidr_block
}

output "route_table_id" {
  value = aws_route_table.private.id
}

output "subnet_ids" {
  value = module.subnets.ids
}
