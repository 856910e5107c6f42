"""Small widgets every screen shares."""
