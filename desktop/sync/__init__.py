"""The device's side of sync: an outbox pushed to the server, pages pulled from it (no Qt here)."""
