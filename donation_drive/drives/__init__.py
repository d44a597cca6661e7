"""Drives and what organisers do with them: create, edit, close, people, co-organisers, updates."""
