"""Qt widgets; imported only by the composition root (desktop.app)."""
