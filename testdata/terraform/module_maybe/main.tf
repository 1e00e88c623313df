# A module call whose count is not known: every resource of the module may not exist, for the
# call's reason; one of them also has an unknown for_each of its own, which is its reason.
variable "enabled" {
  type = bool
}

variable "zones" {
  type = list(string)
}

module "net" {
  source = "./net"
  count  = var.enabled ? 1 : 0
  zones  = var.zones
}

resource "aws_vpc" "always" {
  cidr_block = "10.1.0.0/16"
}
