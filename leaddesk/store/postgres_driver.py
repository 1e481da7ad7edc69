"""The PostgreSQL driver (psycopg): whether it is here, and what to do when it is not."""

from __future__ import annotations

import shlex
import sys

REQUIREMENT = "psycopg[binary]>=3.1,<4"


def how_to_add() -> str:
    """The one thing to do that brings the driver into this LeadDesk."""
    if getattr(sys, "frozen", False):
        return (
            "this LeadDesk bundle was built without it; use a bundle built from leaddesk.spec "
            "(it carries the driver)"
        )
    return f"add it with: {shlex.quote(sys.executable)} -m pip install {shlex.quote(REQUIREMENT)}"


def missing_message() -> str:
    return (
        "A postgresql:// store needs the PostgreSQL driver (psycopg), which this LeadDesk "
        f"lacks; {how_to_add()}"
    )


def is_driver_missing(error: ImportError) -> bool:
    """psycopg itself, or the compiled part it loads libpq with, could not be imported."""
    name = (error.name or "").split(".")[0]
    return name.startswith("psycopg") or "pq wrapper" in str(error)


def driver_version() -> str:
    """'psycopg 3.3.9 (binary, libpq 17.6)'; raises ImportError when it is missing."""
    import psycopg

    libpq = psycopg.pq.version()
    return (
        f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, "
        f"libpq {libpq // 10000}.{libpq % 100})"
    )
