"""The supervisors' statistics."""
