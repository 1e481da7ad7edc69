"""Sales answers a handoff: accepted (with the opportunity it opened in its CRM) or rejected.

This is the only way an opportunity reference enters LeadDesk, and only a salesperson can
use it: the role is checked here, below the desk, as well as at the desk.

The feedback file is a CSV with a header (see resources/feedback_template.csv):
lead_id, decision (accepted|rejected), opportunity_id, owner, date, reason, comment.
Lines starting with # are ignored. A file that cannot be read as such (missing or unknown
columns, ragged rows, no rows) is refused whole. Otherwise each row stands on its own:
bad rows, unknown leads and conflicting decisions are reported with their row number and
field and are not applied, the rest are. The same decision again changes nothing, so
importing a file twice is safe.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import audit
from leaddesk.domain import SalesDecision, Stage, is_record_number
from leaddesk.errors import Conflict, InputError
from leaddesk.files.reading import utf16_without_bom
from leaddesk.handoff.access import Acting, acting_user
from leaddesk.people.permissions import Action, require
from leaddesk.store import Store
from leaddesk.store.models import Lead, OpportunityRef, SalesFeedback

COLUMNS = ("lead_id", "decision", "opportunity_id", "owner", "date", "reason", "comment")
REQUIRED_COLUMNS = ("lead_id", "decision")
MAX_TEXT = 2_000
MAX_ID = 128


class RejectReason(StrEnum):
    NO_BUDGET = "no_budget"
    BAD_TIMING = "bad_timing"
    NOT_DECISION_MAKER = "not_decision_maker"
    ALREADY_CUSTOMER = "already_customer"
    DUPLICATE = "duplicate"
    UNREACHABLE = "unreachable"
    OTHER = "other"


_DECISIONS = {
    "accepted": SalesDecision.ACCEPTED,
    "accept": SalesDecision.ACCEPTED,
    "rejected": SalesDecision.REJECTED,
    "reject": SalesDecision.REJECTED,
}
FINAL_STAGE = {SalesDecision.ACCEPTED: Stage.ACCEPTED, SalesDecision.REJECTED: Stage.REJECTED}


@dataclass(frozen=True)
class Decision:
    """One lead's answer from sales, checked for form (not yet against the store)."""

    lead_id: int
    decision: SalesDecision
    opportunity_id: str | None = None
    owner: str | None = None
    on: date | None = None
    reason: RejectReason | None = None
    comment: str | None = None
    row: int | None = None  # line in the file, for messages

    def same_as(self, other: Decision) -> bool:
        return (self.decision, self.opportunity_id) == (other.decision, other.opportunity_id)


@dataclass(frozen=True)
class Problem:
    row: int | None
    field: str
    message: str
    lead_id: int | None = None
    kind: str = "invalid"  # invalid | unknown_lead | not_handed_off | conflict

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "lead_id": self.lead_id,
            "kind": self.kind,
        }


@dataclass
class FeedbackReport:
    file: str
    sha256: str
    rows: int = 0
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return len(self.accepted) + len(self.rejected)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "applied": self.applied,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "problems": [problem.as_json() for problem in self.problems],
        }


# -- reading the file -------------------------------------------------------------------------


def _column_key(text: str) -> str:
    return "_".join(text.strip().lstrip("\ufeff").lower().replace("-", " ").split())


SAVE_AS_CSV = "save the decisions as CSV (File ▸ Save As ▸ CSV) and record that file"
# A column name quoted in a message is cut here: a wrong file can have a "header" of any length.
SHOWN_COLUMN_CHARS = 40


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with its byte-order mark (and tabs between fields).
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not readable as the UTF-16 text it says it is") from exc
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{name}: an Excel workbook (or another zip file), not CSV; {SAVE_AS_CSV}")
    if b"\x00" in data[:65536]:
        # UTF-16 saved without its byte-order mark; anything else with NULs is not text (a
        # program, a picture, a database…).
        wide = utf16_without_bom(data[:65536])
        if wide is None:
            raise InputError(f"{name}: not a text file; {SAVE_AS_CSV}")
        try:
            return data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not readable as the UTF-16 text it seems to be") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in the machine's code page.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not a text file (UTF-8 or Windows-1252)") from exc


def _shown_column(column: str) -> str:
    if len(column) <= SHOWN_COLUMN_CHARS:
        return repr(column)
    return repr(column[:SHOWN_COLUMN_CHARS]) + "…"


def _delimiter(header: str) -> str:
    """Excel writes commas, semicolons where the decimal mark is a comma, tabs as "text"."""
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


NOTHING_RECORDED = "nothing from this file was recorded"


def read_feedback(path: Path) -> tuple[list[Decision], list[Problem], str, int]:
    """Parse a feedback file: decisions, row problems, the file's SHA-256, the row count.

    Raises InputError for a file that is not a feedback file at all, or whose rows cannot all
    be accounted for (an unclosed quote, a row with the wrong number of cells, a lead id that
    is not a number): nothing is applied from it.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(data).hexdigest()
    table = _records(_decode(data, name), name)
    if not table:
        raise InputError(f"{name}: empty; start from the feedback template")
    header_line, header_cells = table[0]
    header = [_column_key(cell) for cell in header_cells]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InputError(
            f"{name}: row {header_line}: unknown column {_shown_column(unknown[0])}; "
            f"columns are {', '.join(COLUMNS)}"
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputError(f"{name}: row {header_line}: the column {missing[0]} is missing")
    if len(set(header)) != len(header):
        raise InputError(f"{name}: row {header_line}: a column appears twice")
    body = table[1:]
    if not body:
        raise InputError(f"{name}: no rows after the header")
    for number, cells in body:
        # Extra empty cells at the end (a spreadsheet's used range) hold nothing to lose.
        if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header) :]):
            raise InputError(
                f"{name}: row {number}: {len(cells)} fields but the header has {len(header)}; "
                f"{NOTHING_RECORDED}"
            )
        raw_id = cells[header.index("lead_id")].strip()
        if not (raw_id.isascii() and raw_id.isdigit()):
            raise InputError(
                f"{name}: row {number}, lead_id: {_shown_column(raw_id)} is not a lead id "
                f"(a whole number); {NOTHING_RECORDED}"
            )
    decisions: list[Decision] = []
    problems: list[Problem] = []
    for number, cells in body:
        values = {column: cells[i].strip() for i, column in enumerate(header)}
        checked = check_row(values, number)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            decisions.append(checked)
    return decisions, problems, digest, len(body)


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """The file's records with the line each starts on; blank and # lines between records are
    skipped. Read strictly: a quote never closed or text after a closing quote refuses the
    file, naming the row and the column, rather than running rows together."""
    lines = io.StringIO(text, newline="")
    first = next((line for line in lines if line.strip() and not _comment(line)), "")
    delimiter = _delimiter(first)
    lines.seek(0)
    where = _Place()
    taken: list[str] = []  # the lines of the record being read, for naming the column

    def physical() -> Iterator[str]:
        for line in lines:
            where.line += 1
            if where.between:
                if not line.strip() or _comment(line):
                    continue
                where.start, where.between = where.line, False
                taken.clear()
            taken.append(line)
            yield line

    reader = csv.reader(physical(), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] = []
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            said = str(exc)
            raise _unreadable(name, where.start, said, "".join(taken), delimiter, header) from exc
        if cells is None:
            return records
        records.append((where.start, cells))
        header = header or [_column_key(cell) for cell in cells]
        where.between = True


@dataclass
class _Place:
    """Where the reader is: the line last read, the line its record starts on, and whether it
    is between records (where blank and # lines are skipped)."""

    line: int = 0
    start: int = 0
    between: bool = True


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _unreadable(
    name: str, row: int, said: str, record: str, delimiter: str, header: list[str]
) -> InputError:
    index = _cell_at_end(record, delimiter)
    column = header[index] if index < len(header) else f"column {index + 1}"
    where = f"{name}: row {row}, {column}"
    if "unexpected end of data" in said or "field larger" in said:
        what = 'a quoted cell opened on this row is never closed (missing ")'
    elif "expected after" in said:
        expected = _delimiter_said(delimiter)
        what = f"text after a closing quote (\"); expected {expected} or the row's end"
    else:
        what = f"not readable as CSV ({said})"
    return InputError(f"{where}: {what}; {NOTHING_RECORDED}")


def _cell_at_end(record: str, delimiter: str) -> int:
    """0-based index of the cell a (cut short) record ends in, by the plain CSV quote rule."""
    index, quoted = 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index += 1
    return index


def _delimiter_said(delimiter: str) -> str:
    return {",": "a comma", ";": "a semicolon", "\t": "a tab"}.get(delimiter, repr(delimiter))


def check_row(values: dict[str, str], row: int | None) -> Decision | Problem:
    """One row's fields, checked for form; the first problem found is returned."""
    raw_id = values.get("lead_id", "")
    if not (raw_id.isascii() and raw_id.isdigit()):  # "³" and "١" are digits to str.isdigit
        return Problem(row, "lead_id", f"'{raw_id}' is not a lead id (a whole number)")
    lead_id = int(raw_id)
    if not is_record_number(lead_id):
        return Problem(row, "lead_id", f"no lead {raw_id} in this store", None, "unknown_lead")
    raw_decision = values.get("decision", "").lower()
    decision = _DECISIONS.get(raw_decision)
    if decision is None:
        return Problem(row, "decision", f"'{raw_decision}' must be accepted or rejected", lead_id)
    opportunity = values.get("opportunity_id", "").lstrip("'") or None
    owner = values.get("owner", "") or None
    comment = values.get("comment", "") or None
    if opportunity and len(opportunity) > MAX_ID:
        return Problem(row, "opportunity_id", f"longer than {MAX_ID} characters", lead_id)
    if owner and len(owner) > MAX_ID:
        return Problem(row, "owner", f"longer than {MAX_ID} characters", lead_id)
    if comment and len(comment) > MAX_TEXT:
        return Problem(row, "comment", f"longer than {MAX_TEXT} characters", lead_id)
    on: date | None = None
    if values.get("date"):
        try:
            on = date.fromisoformat(values["date"][:10])
        except ValueError:
            return Problem(
                row, "date", f"'{values['date']}' is not a date like 2026-11-19", lead_id
            )
    reason: RejectReason | None = None
    if decision is SalesDecision.ACCEPTED:
        if not opportunity:
            return Problem(
                row,
                "opportunity_id",
                "an accepted lead needs the opportunity id from the CRM",
                lead_id,
            )
        if values.get("reason"):
            return Problem(row, "reason", "only rejected leads take a reason", lead_id)
    else:
        if opportunity:
            return Problem(row, "opportunity_id", "a rejected lead has no opportunity", lead_id)
        raw_reason = values.get("reason", "").lower()
        try:
            reason = RejectReason(raw_reason)
        except ValueError:
            choices = ", ".join(r.value for r in RejectReason)
            return Problem(row, "reason", f"'{raw_reason}' is not one of {choices}", lead_id)
    return Decision(lead_id, decision, opportunity, owner, on, reason, comment, row)


# -- applying -----------------------------------------------------------------------------


def sales_user(session: Session, actor_id: int | None) -> Acting:
    """Only someone who carries a bag records feedback and the opportunities behind it."""
    acting = acting_user(session, actor_id, Action.RECORD_SALES_FEEDBACK)
    require(acting.role, Action.RECORD_OPPORTUNITY, acting.name)
    return acting


def import_feedback(
    session: Session,
    *,
    actor_id: int | None,
    decisions: Sequence[Decision],
    problems: Sequence[Problem] = (),
    file: str = "",
    digest: str = "",
    rows: int = 0,
    at: datetime,
) -> FeedbackReport:
    """Apply a file's decisions in one transaction; returns what was done and what was not."""
    acting = sales_user(session, actor_id)
    report = FeedbackReport(file=file, sha256=digest, rows=rows, problems=list(problems))
    by_lead: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_lead[decision.lead_id].append(decision)
    for lead_id in sorted(by_lead):
        group = by_lead[lead_id]
        if any(not group[0].same_as(other) for other in group[1:]):
            rows_text = ", ".join(str(d.row) for d in group)
            report.problems.append(
                Problem(
                    group[0].row,
                    "decision",
                    f"lead {lead_id} has different decisions in rows {rows_text}; none applied",
                    lead_id,
                    "conflict",
                )
            )
            continue
        outcome = _apply(session, acting, group[0], at=at, digest=digest)
        if isinstance(outcome, Problem):
            report.problems.append(outcome)
        elif outcome == "unchanged":
            report.unchanged.append(lead_id)
        elif group[0].decision is SalesDecision.ACCEPTED:
            report.accepted.append(lead_id)
        else:
            report.rejected.append(lead_id)
    report.problems.sort(key=lambda p: (p.row or 0, p.field))
    if report.applied:
        audit.record(
            session,
            at=at,
            actor_id=acting.id,
            action="sales_feedback_imported",
            subject=Path(file).name[:128] if file else None,
            details={
                "sha256": digest,
                "accepted": len(report.accepted),
                "rejected": len(report.rejected),
                "unchanged": len(report.unchanged),
                "not_applied": len(report.problems),
            },
        )
    return report


def decision_from_form(values: dict[str, str]) -> Decision:
    """One decision typed in the window (the file's columns as keys), checked as a file row is;
    InputError names the field."""
    checked = check_row({name: value.strip() for name, value in values.items()}, None)
    if isinstance(checked, Problem):
        raise InputError(checked.message, field=checked.field)
    return checked


def record_decision(
    session: Session, *, actor_id: int | None, decision: Decision, at: datetime
) -> bool:
    """One lead's answer from sales (the window's path). True if it changed anything."""
    acting = sales_user(session, actor_id)
    outcome = _apply(session, acting, decision, at=at, digest=None)
    if isinstance(outcome, Problem):
        raise (Conflict if outcome.kind == "conflict" else InputError)(
            outcome.message[0].upper() + outcome.message[1:]
        )
    return outcome == "applied"


def _apply(
    session: Session, acting: Acting, decision: Decision, *, at: datetime, digest: str | None
) -> str | Problem:
    lead = session.get(Lead, decision.lead_id)
    row, lead_id = decision.row, decision.lead_id
    if lead is None:
        return Problem(row, "lead_id", f"no lead {lead_id} in this store", lead_id, "unknown_lead")
    existing = session.scalar(select(SalesFeedback).where(SalesFeedback.lead_id == lead_id))
    if existing is not None:
        recorded = _recorded(session, existing)
        if recorded.same_as(decision):
            return "unchanged"
        what = existing.decision.value
        if recorded.opportunity_id and existing.decision is decision.decision:
            what += f" with opportunity {recorded.opportunity_id}"
        return Problem(
            row,
            "decision",
            f"lead {lead_id} was already {what} on {existing.recorded_at.date().isoformat()}; "
            "not changed",
            lead_id,
            "conflict",
        )
    if lead.stage is not Stage.HANDED_OFF or lead.handoff_batch_id is None:
        return Problem(
            row,
            "lead_id",
            f"lead {lead_id} has not been handed to sales (it is {_said(lead.stage)})",
            lead_id,
            "not_handed_off",
        )
    if decision.on is not None and decision.on > (at + timedelta(days=1)).date():
        return Problem(row, "date", f"{decision.on.isoformat()} is in the future", lead_id)
    opportunity: OpportunityRef | None = None
    if decision.decision is SalesDecision.ACCEPTED:
        assert decision.opportunity_id is not None
        opportunity = OpportunityRef(
            lead_id=lead_id,
            external_id=decision.opportunity_id,
            owner=decision.owner or acting.name,
            created_on=decision.on or at.date(),
            recorded_by_id=acting.id,
            recorded_at=at,
        )
        session.add(opportunity)
        session.flush()
    session.add(
        SalesFeedback(
            lead_id=lead_id,
            decision=decision.decision,
            reason=decision.reason.value if decision.reason else None,
            detail=decision.comment,
            opportunity_id=opportunity.id if opportunity else None,
            recorded_by_id=acting.id,
            recorded_at=at,
            source_digest=digest,
        )
    )
    final = FINAL_STAGE[decision.decision]
    lead.stage = final
    lead.stage_changed_at = at
    lead.closed_at = at
    audit.record(
        session,
        at=at,
        actor_id=acting.id,
        action="sales_feedback",
        lead_id=lead_id,
        from_state=Stage.HANDED_OFF.value,
        to_state=final.value,
        reason=decision.reason.value if decision.reason else None,
        details={
            "opportunity_id": decision.opportunity_id,
            "owner": opportunity.owner if opportunity else None,
            "comment": decision.comment,
            "file_sha256": digest,
        },
    )
    session.flush()
    return "applied"


def _recorded(session: Session, feedback: SalesFeedback) -> Decision:
    external = None
    if feedback.opportunity_id is not None:
        ref = session.get(OpportunityRef, feedback.opportunity_id)
        external = ref.external_id if ref else None
    return Decision(feedback.lead_id, feedback.decision, external)


def import_feedback_file(
    store: Store, *, actor_id: int | None, path: Path, at: datetime
) -> FeedbackReport:
    """Read ``path`` and apply it in one transaction (the CLI's and the window's path)."""
    with store.reading() as session:
        sales_user(session, actor_id)  # refuse before reading anything a non-sales user sent
    decisions, problems, digest, rows = read_feedback(path)
    try:
        with store.transaction() as session:
            return import_feedback(
                session,
                actor_id=actor_id,
                decisions=decisions,
                problems=problems,
                file=str(path),
                digest=digest,
                rows=rows,
                at=at,
            )
    except (IntegrityError, StaleDataError) as exc:
        raise Conflict(
            "Someone recorded feedback on the same leads at the same moment; "
            "nothing from this file was applied. Import it again."
        ) from exc


def _said(stage: Stage) -> str:
    return stage.value.replace("_", " ")
