"""Which public holidays fall on a day, per country, remembered on disk.

Every ``leaddesk`` command is a new process, and asking the ``holidays`` package about one
country imports all of its 250 country calendars; the queue's calling zones then build one
calendar per region of some 40 countries (about 260): more CPU than the rest of
``leaddesk queue``. What a calendar says about a date never changes for a given version of
the package, so each (country, day) answer is kept in a small JSON file in the user's cache
folder (``LEADDESK_CACHE_DIR`` to put it elsewhere), and a process reads it once.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    import holidays

CACHE_ENV = "LEADDESK_CACHE_DIR"
# Enough for every country of a store on several days; the oldest answers are dropped first.
MAX_KEPT = 4000


@dataclass(frozen=True)
class HolidayDay:
    """One country on one (local) date."""

    national: bool
    # Its regions with a public holiday that day (national ones included), by code and by
    # each alias, casefolded: "by", "bayern".
    closed_regions: tuple[str, ...] = ()

    def closes(self, region: str | None) -> bool:
        """A holiday for someone in ``region`` (free text, as stored) of this country."""
        if self.national:
            return True
        return bool(region and region.strip().casefold() in self.closed_regions)


@cache
def holiday_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    """Public holidays of a country (and region); the calendar fills in years on demand."""
    import holidays

    return holidays.country_holidays(country, subdiv=subdivision)


@cache
def country_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase | None:
    """The public holidays of a country (and subdivision); None when ``holidays`` lacks it."""
    try:
        return holiday_calendar(country, subdivision)
    except NotImplementedError:
        return None


def calendar_exists(country: str, subdivision: str | None) -> bool:
    """Whether ``holidays`` has a calendar for the country (and subdivision), remembered."""
    key = f"calendar|{country}|{subdivision or ''}"
    known = _remembered().get(key)
    if isinstance(known, bool):
        return known
    exists = country_calendar(country, subdivision) is not None
    _remember({key: exists})
    return exists


def holiday_day(country: str, day: date) -> HolidayDay:
    return holiday_days([(country, day)])[(country, day)]


def holiday_days(wanted: Iterable[tuple[str, date]]) -> dict[tuple[str, date], HolidayDay]:
    """The holidays of each (country code, local date), from the file where known; what had
    to be worked out is written back in one go."""
    kept = _remembered()
    found: dict[tuple[str, date], HolidayDay] = {}
    learned: dict[str, Any] = {}
    for country, day in wanted:
        key = f"day|{country.upper()}|{day.isoformat()}"
        known = kept.get(key)
        if not _is_day(known):
            known = learned[key] = _work_out(country.upper(), day)
        found[(country, day)] = HolidayDay(bool(known[0]), tuple(known[1]))
    if learned:
        _remember(learned)
    return found


def _is_day(value: object) -> TypeGuard[list[Any]]:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], bool)
        and isinstance(value[1], list)
        and all(isinstance(name, str) for name in value[1])
    )


def _work_out(country: str, day: date) -> list[Any]:
    national = country_calendar(country, None)
    if national is None:
        return [False, []]
    names: dict[str, list[str]] = {}
    for alias, code in (getattr(national, "subdivisions_aliases", {}) or {}).items():
        names.setdefault(str(code), []).append(str(alias))
    closed: list[str] = []
    for code in national.subdivisions:
        regional = country_calendar(country, str(code))
        if regional is not None and day in regional:
            closed += [name.casefold() for name in (str(code), *names.get(str(code), []))]
    return [day in national, closed]


def cache_file() -> Path:
    import platformdirs

    folder = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("LeadDesk", appauthor=False)
    return Path(folder) / f"holidays-{_holidays_version()}.json"


def _holidays_version() -> str:
    """The installed package's version, from its dist-info folder's name: importing
    ``holidays`` (or ``importlib.metadata``) to ask would cost much of what the file saves."""
    spec = importlib.util.find_spec("holidays")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for info in sorted(Path(folder).parent.glob("holidays-*.dist-info")):
            return info.name.removeprefix("holidays-").removesuffix(".dist-info")
    import holidays

    return str(getattr(holidays, "__version__", "unknown"))


_loaded: dict[str, Any] | None = None


def _remembered() -> dict[str, Any]:
    global _loaded
    if _loaded is None:
        try:
            raw = json.loads(cache_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}  # none yet, or unreadable: worked out again and rewritten
        _loaded = raw if isinstance(raw, dict) else {}
    return _loaded


def _remember(learned: dict[str, Any]) -> None:
    kept = _remembered()
    kept.update(learned)
    for key in list(kept)[: max(0, len(kept) - MAX_KEPT)]:
        del kept[key]
    path = cache_file()
    # Written whole to a new file, then moved over the old one: a process reading it at the
    # same moment sees the old or the new answers, never half a file.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # a read-only home: the answers are worked out again next time
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # Encoded whole first: json.dump streams through the pure-Python encoder, three
            # times slower than json.dumps for the file's 4,000 answers.
            out.write(json.dumps(kept))
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)


def forget() -> None:
    """Drop what this process read from the file (tests that point it elsewhere)."""
    global _loaded
    _loaded = None
