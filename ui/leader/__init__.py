"""The leader's window on reception days (领导接访)."""
