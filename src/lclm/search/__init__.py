"""Search: the cached index and the ranking."""
