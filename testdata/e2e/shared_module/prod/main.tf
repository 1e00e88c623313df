module "network" {
  source = "../modules/network"
  cidr   = "10.60.0.0/16"
}
