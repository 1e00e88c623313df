from_cli = "var-file"
subnet_count = 2
