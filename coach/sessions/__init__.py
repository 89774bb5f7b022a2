"""Practice sessions: a SQLite transcript store with ordered migrations."""
