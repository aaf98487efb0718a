"""Confidential conversations between relatives and their team's supporters."""
