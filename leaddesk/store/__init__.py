"""Persistence: the models, opening a store, and its schema migrations."""

from leaddesk.store.database import Store, open_store

__all__ = ["Store", "open_store"]
