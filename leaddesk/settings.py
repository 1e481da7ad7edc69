"""Per-user settings: declared once, typed, with defaults and a description.

Stored as JSON in the platform's config folder, written atomically. A renamed setting is
carried over by the upgrade table, so a user's choice survives an update.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs

log = logging.getLogger(__name__)
T = TypeVar("T")
SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    default: T
    description: str

    def coerce(self, value: Any) -> T:
        kind = type(self.default)
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        raise TypeError(f"{self.name}: expected {kind.__name__}, got {type(value).__name__}")


THEME = Setting("theme", "system", "Look of the window: system, light or dark.")
TEXT_SIZE = Setting("text_size", 100, "Size of the window's text, in percent of normal.")
QUEUE_HIDDEN = Setting(
    "queue_hidden_columns", "", "Queue columns the rep hid, by heading, comma-separated."
)
LAST_USER = Setting("last_user", "", "The profile picked at the last sign-in.")
EXPORT_FOLDER = Setting("export_folder", "", "Where the end-of-day handoff files go.")
IMPORT_FOLDER = Setting("import_folder", "", "Where File ▸ Import last found a file.")
NOTE_SAVE_DELAY_MS = Setting(
    "note_save_delay_ms", 600, "How long after the last keystroke a note is saved."
)
SWEEP_MINUTES = Setting("sweep_minutes", 5, "How often the open app checks for untouched leads.")
TEAM_URL = Setting(
    "team_database_url",
    "",
    "The team database this desk connects to at start, with the login and without the "
    "password (that is in the OS keyring, or asked for).",
)

ALL: tuple[Setting[Any], ...] = (
    THEME,
    TEXT_SIZE,
    QUEUE_HIDDEN,
    LAST_USER,
    EXPORT_FOLDER,
    IMPORT_FOLDER,
    NOTE_SAVE_DELAY_MS,
    SWEEP_MINUTES,
    TEAM_URL,
)
# Old name -> new name, applied when an older settings file is read.
RENAMED: dict[str, str] = {}


def default_settings_path() -> Path:
    return Path(platformdirs.user_config_dir("LeadDesk", appauthor=False)) / "settings.json"


class Settings:
    """Read through ``settings[THEME]``; write with ``settings[THEME] = "dark"`` (saved at once)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()
        self._values: dict[str, Any] = {}
        self._load()

    def __getitem__(self, setting: Setting[T]) -> T:
        if setting.name in self._values:
            try:
                return setting.coerce(self._values[setting.name])
            except TypeError:
                log.warning("ignoring bad value for setting %s", setting.name)
        return setting.default

    def __setitem__(self, setting: Setting[T], value: T) -> None:
        self._values[setting.name] = setting.coerce(value)
        self._save()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError):
            log.warning("settings file %s unreadable; using defaults", self.path)
            return
        values = raw.get("values", {}) if isinstance(raw, dict) else {}
        for old, new in RENAMED.items():
            if old in values and new not in values:
                values[new] = values.pop(old)
        known = {s.name for s in ALL}
        self._values = {k: v for k, v in values.items() if k in known}

    def _save(self) -> None:
        payload = {"version": SETTINGS_VERSION, "values": self._values}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            # Like the log: a read-only home must not stop a rep from working. The setting
            # holds for this session and is lost at the next start.
            log.warning("settings not saved to %s: %s", self.path, error)
