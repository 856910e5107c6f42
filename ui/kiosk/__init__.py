"""The self-service kiosk: what a citizen, often elderly, finishes alone (progress today)."""
