"""The frame every window shares: start-up, task manager, error path, sign-in, header, theme."""
