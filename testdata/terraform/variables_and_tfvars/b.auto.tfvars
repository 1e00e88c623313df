from_auto    = "b.auto"
subnet_count = "3"
