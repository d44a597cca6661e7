"""Organiser accounts: registering, logging in, passwords, API tokens and deleting an account."""
