"""Reception-hall system for petition bureaus (信访接待大厅)."""

__version__ = "0.1.0"
