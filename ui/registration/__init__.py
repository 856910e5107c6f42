"""Registration (登记) of a visit at the counter and at the kiosk: the home of its screens."""
