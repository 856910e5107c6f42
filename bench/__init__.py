"""Benchmarks: commands that print numbers and ratios (never timed assertions in tests)."""
