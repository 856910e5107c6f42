"""SQLAlchemy models, engine factory and migrations."""
