"""Tests whose subject does not depend on the store's kind run on SQLite alone.

A file refused before anything is written, a message's wording, a window's layout: each reads
the same on PostgreSQL, so running it there too only doubles its time. Whatever touches SQL,
rights, row guards, concurrency or logins still runs on both stores. Each use says why one
store is enough.
"""

from __future__ import annotations

import pytest

# The store fixtures' two parameters narrowed to SQLite's (the test id stays ``[sqlite…]``).
sqlite_only = pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
