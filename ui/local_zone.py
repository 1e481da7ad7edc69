"""The rep's own time zone (an IANA name), for callbacks and "today" in the status bar."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _valid(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def rep_zone(fallback: str = "UTC") -> str:
    """$TZ, then the system's /etc/localtime link, then ``fallback`` (the team's zone)."""
    found = _valid(os.environ.get("TZ", "").lstrip(":"))
    if found:
        return found
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        found = _valid(target.split("zoneinfo/", 1)[1])
        if found:
            return found
    return fallback
