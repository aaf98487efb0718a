"""Crisis information, shown on every page and whenever risk is detected."""
