"""The hall's display screen (call display and hall information)."""
