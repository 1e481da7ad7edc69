"""Put every phone number and email of a list file on the do-not-call list: a suppression
list, a registry scrub (docs/architecture.md §6). The file is read as an import reads an
export; the list itself is ``leaddesk/privacy/do_not_call.py``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.errors import InputError
from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.mapping import Field, detect_mapping, header_key
from leaddesk.intake.reading import open_export
from leaddesk.privacy.do_not_call import (
    EMAIL,
    MAX_REASON,
    Added,
    Value,
    add_values,
    read_value,
    reason_given,
)

# A column of a list file that says why each entry is there.
_REASON_COLUMNS = frozenset({"reason", "why", "note", "notes", "comment", "source"})


def import_entries(
    session: Session,
    path: Path,
    *,
    reason: str | None,
    actor_id: int | None,
    at: datetime,
    region: str | None,
    encoding: str | None = None,
) -> Added:
    """Put every phone number and email of a CSV (or XLSX) file on the list. The whole file is
    checked first: any bad row is an InputError naming the file, row and column, and nothing
    is stored. A "reason" column, where there is one, says why for each row."""
    default_reason = reason_given(reason, required=False) or f"from {Path(path).name}"
    values: list[Value] = []
    reasons: list[str] = []
    rows = 0
    with open_export(path, encoding=encoding, region=region) as export:
        try:
            detected = detect_mapping(export.header, file=path).columns
        except IntakeFileError as error:
            if error.kind is not FileProblem.NO_COLUMNS:
                raise
            detected = {}  # said below, in a list's words
        columns = [
            (column, target)
            for column, target in detected.items()
            if target in (Field.EMAIL, Field.PHONE, Field.MOBILE)
        ]
        if not columns:
            raise IntakeFileError(
                path,
                "no phone or email column (name one 'phone' or 'email')",
                kind=FileProblem.NO_COLUMNS,
            )
        said = next((c for c in export.header if header_key(c) in _REASON_COLUMNS), None)
        for raw in export.rows():
            rows += 1
            found = 0
            for column, target in columns:
                typed = (raw.values.get(column) or "").strip()
                if not typed:
                    continue
                try:
                    value = read_value(typed, region)
                except InputError as error:
                    raise IntakeFileError(
                        path,
                        error.message,
                        kind=FileProblem.MALFORMED,
                        row=raw.number,
                        column=column,
                    ) from None
                if (target is Field.EMAIL) != (value.kind == EMAIL):
                    wanted = "an email address" if target is Field.EMAIL else "a phone number"
                    raise IntakeFileError(
                        path,
                        f"'{typed}' is not {wanted}",
                        kind=FileProblem.MALFORMED,
                        row=raw.number,
                        column=column,
                    )
                values.append(value)
                why = " ".join((raw.values.get(said) or "").split()) if said else ""
                if len(why) > MAX_REASON:
                    raise IntakeFileError(
                        path,
                        f"at most {MAX_REASON} characters",
                        kind=FileProblem.MALFORMED,
                        row=raw.number,
                        column=said,
                    )
                reasons.append(why or default_reason)
                found += 1
            if not found:
                names = " or ".join(f"'{column}'" for column, _target in columns)
                raise IntakeFileError(
                    path,
                    f"no phone number or email (fill {names})",
                    kind=FileProblem.MALFORMED,
                    row=raw.number,
                )
    return add_values(
        session,
        values,
        reason=reasons,
        actor_id=actor_id,
        at=at,
        action=AuditAction.DO_NOT_CALL_IMPORTED,
        subject=Path(path).name[:128],
        rows=rows,
    )
