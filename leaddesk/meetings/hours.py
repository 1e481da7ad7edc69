"""A salesperson's working hours: when reps may book them (their own zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from leaddesk.errors import InputError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingHours:
    """Open from ``start`` to ``end`` on ``weekdays`` (Monday = 0), in the salesperson's zone."""

    start: time = time(9, 0)
    end: time = time(17, 0)
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)

    def describe(self) -> str:
        days = ",".join(DAY_NAMES[day].capitalize() for day in self.weekdays)
        return f"{days} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def weekday_code(self) -> str:
        return "".join(str(day) for day in self.weekdays)


DEFAULT_HOURS = WorkingHours()


def parse_hours(text: str) -> tuple[time, time]:
    """'08:30-16:00' → (08:30, 16:00)."""
    start_text, dash, end_text = text.replace("–", "-").partition("-")
    try:
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError:
        start = end = time(0, 0)
    if not dash or start >= end:
        raise InputError(
            f"'{text}' is not a working day; write it like 09:00-17:00 (start before end).",
            field="hours",
        )
    return start, end


def parse_weekdays(text: str) -> tuple[int, ...]:
    """'mon-fri' or 'mon,tue,thu' → (0, 1, 2, 3, 4) / (0, 1, 3)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in DAY_NAMES or (dash and last not in DAY_NAMES):
            raise InputError(
                f"'{text}' is not a list of weekdays; write it like mon-fri or mon,wed,fri.",
                field="weekdays",
            )
        low, high = DAY_NAMES.index(first), DAY_NAMES.index(last if dash else first)
        if low > high:
            raise InputError(f"'{part}' runs backwards; write it like mon-fri.", field="weekdays")
        days.update(range(low, high + 1))
    return tuple(sorted(days))


def stored_hours(start: str | None, end: str | None, weekdays: str | None) -> WorkingHours:
    """The hours kept on a calendar row (the default where none were given)."""
    return WorkingHours(
        start=time.fromisoformat(start) if start else DEFAULT_HOURS.start,
        end=time.fromisoformat(end) if end else DEFAULT_HOURS.end,
        weekdays=tuple(int(d) for d in weekdays) if weekdays else DEFAULT_HOURS.weekdays,
    )
