"""What commands do to the store: add, import, refresh (each through the store transaction)."""
