"""Logging to a rotating file in the platform's log folder, for the CLI and the window alike."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

LOG_FILE_NAME = "leaddesk.log"


def log_dir() -> Path:
    # Here, not beside the store's folders: the store writes files, so files must not need it.
    return Path(platformdirs.user_log_dir("LeadDesk", appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    path = log_path()
    root = logging.getLogger()
    if any(getattr(h, "leaddesk", False) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        # A read-only home must not stop a rep from working; log to stderr instead.
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.leaddesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
