"""What planning needs of a row that follows from the row alone, worked out beside its
cleaning: in the cleaning helper for a big file, so the process that plans and writes does
not (issue #21 item 7). The floor (the file read and cleaned, nothing written) does none of it.

A new lead's ``extra`` (less the import run, unknown to the helper), the values search finds
it by beyond its person and company, and the row's import key from before names were part of
keys. The planner uses them only when they were made for its own file, source and region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leaddesk.contacts.kept_values import searchable_values
from leaddesk.intake.chunk_plan import extra_details
from leaddesk.intake.matching import key_before_names
from leaddesk.intake.rows import CleanRow, RowProblem


@dataclass(frozen=True, slots=True)
class PreparedFor:
    """What the prepared values depend on beyond the row."""

    file_name: str
    source: str
    region: str | None


@dataclass(slots=True)
class Prepared:
    before_key: str | None  # the row's key from before names were in keys (None: unchanged)
    extra: dict[str, Any]  # a new lead's extra, its "intake" "run" still None
    searchable: set[str]  # what search finds the lead by in extra


def prepare(items: list[CleanRow | RowProblem], made_for: PreparedFor) -> list[Prepared | None]:
    """One entry a row, None for a row that cannot be imported."""
    prepared: list[Prepared | None] = []
    file_name, source, region = made_for.file_name, made_for.source, made_for.region
    for item in items:
        if not isinstance(item, CleanRow):
            prepared.append(None)
            continue
        extra = extra_details(item, run_id=None, file_name=file_name, source=source, region=region)
        prepared.append(Prepared(key_before_names(source, item), extra, searchable_values(extra)))
    return prepared


def pack(prepared: list[Prepared | None]) -> list[tuple[Any, ...] | None]:
    """Plain tuples for the trip between processes."""
    return [
        None if entry is None else (entry.before_key, entry.extra, entry.searchable)
        for entry in prepared
    ]


def unpack(packed: list[tuple[Any, ...] | None]) -> list[Prepared | None]:
    return [None if entry is None else Prepared(*entry) for entry in packed]


def for_planning(
    items: list[CleanRow | RowProblem],
    prepared: list[Prepared | None],
    made_for: PreparedFor | None,
    planner_for: PreparedFor,
) -> list[Prepared | None]:
    """The chunk's prepared values, or one None a row when they were not made for this
    planner's file, source and region (then the planner works each out itself)."""
    if prepared and made_for == planner_for:
        return prepared
    return [None] * len(items)


def before_keys(
    items: list[CleanRow | RowProblem], prepared: list[Prepared | None], source: str
) -> dict[int, str]:
    """Row number -> the row's key from before names were part of keys, where it differs."""
    found: dict[int, str] = {}
    for item, entry in zip(items, prepared, strict=True):
        if not isinstance(item, CleanRow):
            continue
        old = entry.before_key if entry is not None else key_before_names(source, item)
        if old:
            found[item.number] = old
    return found


def lead_extra(
    entry: Prepared | None, row: CleanRow, *, run_id: int | None, made_for: PreparedFor
) -> tuple[dict[str, Any], set[str] | None]:
    """A new lead's extra for ``row``, and what search finds it by when already worked out."""
    if entry is not None and entry.extra["intake"]["row"] == row.number:
        entry.extra["intake"]["run"] = run_id
        return entry.extra, entry.searchable
    extra = extra_details(
        row,
        run_id=run_id,
        file_name=made_for.file_name,
        source=made_for.source,
        region=made_for.region,
    )
    return extra, None
