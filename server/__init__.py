"""The server: sync of case events between the hall's devices and a central store (FastAPI + PostgreSQL)."""
