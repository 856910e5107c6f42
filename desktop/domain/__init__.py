"""Pure rules of the petition Regulations: no Qt, no SQLAlchemy, no I/O."""
