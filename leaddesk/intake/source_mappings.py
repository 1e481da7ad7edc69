"""The column mapping for an import: detected, saved per source and reused, or from a file.

``--mapping auto`` (the default) reuses the mapping last confirmed for the source when it fits
the file's header, else detects one; ``NAME`` is the mapping saved for source NAME; anything
that names an existing file (or ends in .json) is a mapping file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import InputError
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.mapping import Mapping, detect_mapping, header_key, load_mapping
from leaddesk.intake.shapes import source_for, tool_of
from leaddesk.store.models import SourceMapping

AUTO = "auto"
DEFAULT_SOURCE = "import"
MAX_SOURCE = 64


@dataclass(frozen=True)
class ChosenMapping:
    mapping: Mapping
    how: str  # "detected", "saved for <source>", "from <file>"
    save: bool  # whether a finished import should remember it for the source


# What a file name may end in that says when or which copy, not which list: a date (with a
# time), "(2)", separators. A date counts only on its own ("webinar_2026_q3" keeps its digits:
# they name the list).
_DATE = r"\d{4}[-_.]?\d{2}[-_.]?\d{2}(?:[T\s_\-]?\d{2}[-_.:h]?\d{2}(?:[-_.:]?\d{2})?)?"
_NUMBERED_TAIL = re.compile(rf"(?:(?:^|(?<=[\s_.()\-])){_DATE}|\(\d+\)|[\s_.\-])+$")


def source_with_columns(session: Session, header: Sequence[str]) -> str | None:
    """The source whose saved mapping names exactly these columns: the same tool's next export
    has the same columns, so it keeps its source (and its mapping)."""
    keys = {header_key(name) for name in header}
    saved = session.execute(
        select(SourceMapping.source, SourceMapping.mapping).order_by(
            SourceMapping.updated_at.desc(), SourceMapping.id.desc()
        )
    ).all()
    for name, data in saved:
        named = [*data.get("columns", {}), *data.get("extras", [])]
        if {header_key(str(column)) for column in named} == keys:
            return str(name)
    return None


def default_source(mapping: Mapping, file: Path) -> str:
    """A source name when the user gives none: the tool the export came from, if recognised,
    else the file's name without its date or copy number ("Webinar leads 2026-11-30 (2).csv"
    is "Webinar leads"), so the next export of the same list keeps its source."""
    named = source_for(mapping.shape)
    if named is not None:
        return named
    stem = _NUMBERED_TAIL.sub("", file.stem).replace("_", " ")
    return " ".join(stem.split())[:MAX_SOURCE] or DEFAULT_SOURCE


def why_source(mapping: Mapping, *, given: bool, saved: bool) -> str:
    """Why the import's source is what it is, in the words the import window shows ("" when
    the user gave it)."""
    if given:
        return ""
    if saved:
        return "the source of earlier files with these columns"
    tool = tool_of(mapping.shape)
    if tool is not None:
        return f"recognised as an export from {tool}"
    return "named after the file: which tool made it could not be told"


def check_source(name: str) -> str:
    source = " ".join(name.split())
    if not source or len(source) > MAX_SOURCE:
        raise InputError(f"give a name of 1 to {MAX_SOURCE} characters", field="source")
    return source


def saved_mapping(session: Session, source: str) -> Mapping | None:
    record = session.scalar(select(SourceMapping).where(SourceMapping.source == source))
    if record is None:
        return None
    return Mapping.from_json(json.dumps(record.mapping), file=f"saved mapping '{source}'")


def choose_mapping(
    session: Session,
    header: Sequence[str],
    *,
    file: Path,
    source: str | None,
    choice: str = AUTO,
) -> ChosenMapping:
    """The mapping to import ``file`` with; raises IntakeFileError when nothing identifying
    (email, phone or name) would be mapped."""
    if choice == AUTO:
        if source is not None:
            saved = saved_mapping(session, source)
            if saved is not None:
                try:
                    fitted = saved.for_header(header, file=file)
                except IntakeFileError:
                    fitted = None  # the source now sends a different export: detect afresh
                if fitted is not None and not fitted.warnings:
                    return _with_new_columns(saved, fitted, header, file=file, source=source)
        return ChosenMapping(detect_mapping(header, file=file), "detected", save=True)
    path = Path(choice)
    if path.suffix.lower() == ".json" or path.is_file():
        mapping = load_mapping(path).for_header(header, file=file)
        return ChosenMapping(mapping, f"from {path.name}", save=True)
    saved = saved_mapping(session, choice)
    if saved is None:
        known = session.scalars(select(SourceMapping.source).order_by(SourceMapping.source)).all()
        hint = f" (saved: {', '.join(known)})" if known else " (none saved yet)"
        raise InputError(
            f"no saved mapping named '{choice}'{hint}; use auto or a .json file", field="mapping"
        )
    return ChosenMapping(
        saved.for_header(header, file=file), f"saved for {choice}", save=choice != source
    )


def _with_new_columns(
    saved: Mapping, fitted: Mapping, header: Sequence[str], *, file: Path, source: str
) -> ChosenMapping:
    """The saved mapping, plus the columns this file brings that the saved one never named
    and detection recognises for a field nothing feeds yet (the same web form now sends a job
    title and a head count): they feed the lead's facts and scores instead of lying unused
    as extra details. Columns the saved mapping keeps as extras stay extras."""
    named = {header_key(column) for column in (*saved.columns, *saved.extras)}
    new = [name for name in header if header_key(name) not in named]
    if not new:
        return ChosenMapping(fitted, f"saved for {source}", save=False)
    try:
        detected = detect_mapping(header, file=file)
    except IntakeFileError:
        return ChosenMapping(fitted, f"saved for {source}", save=False)
    fed = set(fitted.columns.values())
    added = {
        name: detected.columns[name]
        for name in new
        if name in detected.columns and detected.columns[name] not in fed
    }
    if not added:
        return ChosenMapping(fitted, f"saved for {source}", save=False)
    mapping = replace(
        fitted,
        columns={**fitted.columns, **added},
        extras=tuple(name for name in fitted.extras if name not in added),
    )
    new_ones = f"{len(added)} new column{'s' if len(added) > 1 else ''}"
    return ChosenMapping(mapping, f"saved for {source}, {new_ones} recognised", save=True)


def remember_mapping(
    session: Session, *, source: str, mapping: Mapping, actor_id: int | None, at: datetime
) -> bool:
    """Save ``mapping`` as the one for ``source``; True if it changed anything."""
    data = json.loads(mapping.to_json())
    record = session.scalar(select(SourceMapping).where(SourceMapping.source == source))
    if record is not None and record.mapping == data:
        return False
    if record is None:
        session.add(
            SourceMapping(source=source, mapping=data, updated_by_id=actor_id, updated_at=at)
        )
    else:
        record.mapping = data
        record.updated_by_id = actor_id
        record.updated_at = at
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.MAPPING_SAVED,
        subject=f"source {source}"[:128],
        details={"columns": data["columns"]},
    )
    return True
