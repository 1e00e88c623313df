variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "from_tfvars" {
  default = "default"
}

variable "from_auto" {
  default = "default"
}

variable "from_cli" {
  type    = string
  default = "default"
}

variable "subnet_count" {
  type    = number
  default = 1
}

variable "unset" {
  type = string
}
