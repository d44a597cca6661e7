"""Shared plumbing: configuration, extensions, the database, errors, security, logs, rate limits, templating."""
