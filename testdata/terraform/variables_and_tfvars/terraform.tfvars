vpc_cidr     = "10.20.0.0/16"
from_tfvars  = "tfvars"
from_auto    = "tfvars"
subnet_count = 2
