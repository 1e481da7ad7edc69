"""Find the data LeadDesk ships (definitions, styles, icons, samples) wherever it runs.

Three homes: a frozen bundle (PyInstaller unpacks to ``sys._MEIPASS/resources``), an
installed wheel (the files travel inside the package as ``leaddesk/_resources``) and a
source checkout (the top-level ``resources/`` folder beside ``leaddesk/``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from leaddesk.errors import LeadDeskError


@cache
def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
    package = Path(__file__).resolve().parents[1]  # the leaddesk package
    candidates += [package / "_resources", package.parent / "resources"]
    for candidate in candidates:
        if (candidate / "definitions").is_dir():
            return candidate
    raise LeadDeskError(
        "LeadDesk's own data files are missing (looked in "
        + ", ".join(str(c) for c in candidates)
        + "). Reinstall LeadDesk."
    )


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("definitions", "bant.toml")``."""
    return resources_dir().joinpath(*parts)
