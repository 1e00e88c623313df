variable "from_env" {
  default = "default"
}

variable "env_overridden_by_tfvars_json" {
  default = "default"
}

variable "from_auto_json" {
  default = "default"
}

variable "cidrs" {
  type    = list(string)
  default = []
}

resource "aws_cloudwatch_log_group" "names" {
  name = "${var.from_env}/${var.env_overridden_by_tfvars_json}/${var.from_auto_json}"
}

resource "aws_vpc" "from_env_list" {
  count      = length(var.cidrs)
  cidr_block = var.cidrs[count.index]
}
