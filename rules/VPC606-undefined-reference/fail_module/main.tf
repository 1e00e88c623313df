# The root module is fine; the child module references a resource it does not declare.
module "network" {
  source = "./modules/network"
  cidr   = "10.30.0.0/16"
}
