"""The rep's own time zone (an IANA name), for callbacks and "today" in the status bar."""

from __future__ import annotations

import os
from pathlib import Path

from leaddesk.desk import valid_zone


def rep_zone(fallback: str = "UTC") -> str:
    """$TZ, then the system's /etc/localtime link, then ``fallback`` (the team's zone)."""
    found = valid_zone(os.environ.get("TZ", "").lstrip(":"))
    if found:
        return found
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        found = valid_zone(target.split("zoneinfo/", 1)[1])
        if found:
            return found
    return fallback
