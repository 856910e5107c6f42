"""Use cases of the reception hall; plain data in, plain data out."""
