from_auto = "a.auto"
