"""Typed reads from one TOML table, each wrong or unknown key reported with its key path."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import time
from typing import Any

Report = Callable[[str, str], None]
_MISSING: Any = object()


class TableReader:
    """Reads the keys of one table; ``finish()`` reports any key nobody asked for (a typo)."""

    def __init__(self, raw: object, path: str, report: Report) -> None:
        self.path = path
        self.report = report
        self.used: set[str] = set()
        if isinstance(raw, dict):
            self.raw: dict[str, Any] = raw
        else:
            if raw is not None:
                report(path, "must be a table")
            self.raw = {}

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.raw

    def value(self, key: str) -> Any:
        self.used.add(key)
        return self.raw.get(key)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if required:
                self.report(self.at(key), "missing; it is required here")
            return _MISSING
        return self.raw[key]

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.report(self.at(key), f"must be text in quotes, not {_shown(value)}")
            return default
        if required and not value.strip():
            self.report(self.at(key), "must not be empty")
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else self.value(key)

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.report(self.at(key), f"must be true or false, not {_shown(value)}")
            return default
        return value

    def number(
        self, key: str, default: float, low: float | None = None, high: float | None = None
    ) -> float:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            self.report(self.at(key), f"must be a number, not {_shown(value)}")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low:g} to {high:g}" if high is not None else f"at least {low:g}"
            self.report(self.at(key), f"must be {span}, not {value:g}")
            return default
        return float(value)

    def whole(self, key: str, default: int, low: int = 0) -> int:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            self.report(self.at(key), f"must be a whole number, not {_shown(value)}")
            return default
        if value < low:
            self.report(self.at(key), f"must be at least {low}, not {value}")
            return default
        return value

    def clock_time(self, key: str, default: time) -> time:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if isinstance(value, time):
            return value.replace(tzinfo=None)
        if isinstance(value, str):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        self.report(self.at(key), f'must be a time like "09:00", not {_shown(value)}')
        return default

    def texts(self, key: str) -> list[str]:
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(self.at(key), 'must be a list of text, e.g. ["a", "b"]')
            return []
        return list(value)

    def tables(self, key: str, required: bool = False) -> list[Any]:
        """An array of tables (``[[key]]``); each item is checked by its own reader."""
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.report(self.at(key), "must be a list of tables ([[...]] blocks)")
            return []
        return value

    def table(self, key: str) -> TableReader:
        return TableReader(self.value(key), self.at(key), self.report)

    def finish(self) -> None:
        for key in self.raw:
            if key not in self.used:
                self.report(self.at(key), "unknown key; check the spelling")


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)
