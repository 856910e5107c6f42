"""Leader reception days (领导接访日): booking at the counter, the leader's day screen, the board after the day."""
