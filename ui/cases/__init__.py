"""Finding and reading cases: search, case detail, deadlines."""
