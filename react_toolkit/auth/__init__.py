"""Accounts, roles, invitations, sessions and passwords."""
