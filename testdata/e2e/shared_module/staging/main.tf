module "network" {
  source = "../modules/network"
  cidr   = "10.61.0.0/16"
}
