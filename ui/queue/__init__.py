"""The hall queue (取号、叫号): the home of its screens at counters, kiosks and the display."""
