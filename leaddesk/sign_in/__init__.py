"""Signing in: passwords where a store is shared, and one window per person per store."""
