"""Pseudonymised research exports and the log of every export made."""
