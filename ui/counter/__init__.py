"""The reception clerk's counter window (接待窗口)."""
