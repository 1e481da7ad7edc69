"""The bytes of a handoff batch: CSV for the CRM's lead import, JSON Lines with the full
record, an optional XLSX, and the manifest. Pure functions of the records and the batch row.

CSV columns a CRM maps without help (Salesforce lead import names):
FirstName, LastName, Company, Title, Email, Phone, MobilePhone, LeadSource, Status, Rating,
Industry, NumberOfEmployees, Country, Description; then LeadDesk's own columns.

Fallbacks, because a CRM refuses a lead without LastName or Company:
* LastName: the last name; else the first name (FirstName is then left empty, as CRMs
  store single-name contacts); else the part of the email before the @; else "Unknown".
* Company: the account name; else the email's domain; else "Not provided".
Status is always "Qualified": the lead awaits sales; no opportunity is ever in the file.
Rating: the definition's temperature (``[policy.temperature]``): by default "Hot" when fit and
interest are both 70 or more, "Warm" when both are 40 or more, else "Cold".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from leaddesk.definition.temperature import Temperature
from leaddesk.handoff import marketing_qualified
from leaddesk.handoff.cells import FORMULA_STARTS, neutralise
from leaddesk.handoff.mobile import is_mobile
from leaddesk.handoff.one_line import OneLine, one_line
from leaddesk.handoff.records import HandoffRecord

FORMAT_VERSION = 1
SALESFORCE_COLUMNS = (
    "FirstName",
    "LastName",
    "Company",
    "Title",
    "Email",
    "Phone",
    "MobilePhone",
    "LeadSource",
    "Status",
    "Rating",
    "Industry",
    "NumberOfEmployees",
    "Country",
    "Description",
)
PHONE_COLUMNS = frozenset({"Phone", "MobilePhone"})
STATUS = "Qualified"
LEAD_SOURCES = {
    "web_form": "Web",
    "webinar": "Webinar",
    "trade_show": "Trade Show",
    "purchased_list": "Purchased List",
    "sales_referral": "Employee Referral",
    "inbound_call": "Phone Inquiry",
}
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BatchFacts:
    """What the files say about the batch itself, all taken from the batch row."""

    batch_id: int
    code: str
    created_by: str
    created_at: datetime
    scope: str
    definition_version: int | None
    xlsx: bool


def file_names(code: str, *, xlsx: bool) -> tuple[str, ...]:
    """Data files first; the manifest is written last, once the rest are in place."""
    names = [f"{code}.csv", f"{code}.jsonl"]
    if xlsx:
        names.append(f"{code}.xlsx")
    return (*names, MANIFEST)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is UTC and moment.year >= 1000:  # as the store reads times back
        return moment.isoformat(timespec="seconds")[:-6] + "Z"  # "+00:00" said as "Z"
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y does not pad such a year; isoformat would
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The same text as strftime("%Y-%m-%dT%H:%M:%SZ"), at a third of its cost.
    return utc.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def last_and_first(record: HandoffRecord) -> tuple[str, str]:
    """First and last name as Salesforce's Lead needs them: LastName may not be empty (the
    CRM CSV and the sync's upsert alike)."""
    first, last = record.first_name.strip(), record.last_name.strip()
    if last:
        return first, last
    if first:
        return "", first
    if record.email and "@" in record.email:
        return "", record.email.split("@", 1)[0]
    return "", "Unknown"


def company_or_domain(record: HandoffRecord) -> str:
    """The Lead's Company, which Salesforce requires: the company, else the email's domain."""
    if record.company and record.company.strip():
        return record.company.strip()
    if record.email and "@" in record.email:
        return record.email.split("@", 1)[1]
    return "Not provided"


def _mobile(seen: dict[str | None, bool], phone: str | None) -> bool:
    found = seen.get(phone)
    if found is None:
        found = seen[phone] = is_mobile(phone)
    return found


def rating(record: HandoffRecord) -> str:
    """The rating the record's definition gives it (the default levels for a bare record)."""
    return record.rating or Temperature().rating(record.fit_score, record.interest_score)


def axis_labels(records: Sequence[HandoffRecord]) -> list[str]:
    """Framework columns (Budget, Authority, …) in the order they first appear."""
    labels: list[str] = []
    for record in records:
        for axis in record.axes:
            if axis.label not in labels:
                labels.append(axis.label)
    return labels


def columns(records: Sequence[HandoffRecord]) -> list[str]:
    return [
        *SALESFORCE_COLUMNS,
        "LeadDesk Lead ID",
        "Qualified By",
        "Qualified At",
        "Lead Definition Version",
        *axis_labels(records),
        "Fit Score",
        "Interest Score",
        "Qualification Summary",
        *MEETING_COLUMNS,
        *marketing_qualified.columns(records),
    ]


MEETING_COLUMNS = (
    "Meeting At",
    "Meeting At (UTC)",
    "Meeting With",
    "Decision Maker",
    "Others Involved",
)


def meeting_cells(record: HandoffRecord) -> dict[str, str]:
    """The meeting booked on the call: in the prospect's time (with its offset) and in UTC,
    the salesperson, and who else the rep said is involved."""
    meeting = record.meeting
    if meeting is None:
        return dict.fromkeys(MEETING_COLUMNS, "")
    return {
        "Meeting At": f"{meeting.local():%Y-%m-%d %H:%M} {meeting.prospect_zone}",
        "Meeting At (UTC)": utc_text(meeting.starts_at),
        "Meeting With": meeting.salesperson_name,
        "Decision Maker": one_line(meeting.decision_maker),
        "Others Involved": "; ".join(one_line(other) for other in meeting.others),
    }


def rows(
    records: Sequence[HandoffRecord], lines: OneLine | None = None
) -> list[list[str | int | None]]:
    """One row per lead; text cells already neutralised, numbers left as numbers. ``lines``
    keeps texts made one line for the batch's other file."""
    lines = OneLine() if lines is None else lines
    labels = axis_labels(records)
    marketing = marketing_qualified.columns(records)
    if _FIXED_NAMES.intersection(labels):
        return _rows_by_name(records, labels, bool(marketing))
    names = [*_BEFORE_AXES, *labels, *_AFTER_AXES, *marketing]
    phone_at = frozenset(index for index, name in enumerate(names) if name in PHONE_COLUMNS)
    # Only cells that may hold text are looked at for a formula start.
    texts_at = [index for index, name in enumerate(names) if name not in NUMBER_COLUMNS]
    mobile: dict[str | None, bool] = {}  # each distinct number checked once
    table: list[list[str | int | None]] = []
    for record in records:
        row = _row(record, labels, mobile, lines)
        if marketing:
            row.extend(marketing_qualified.cell(record).values())
        for index in texts_at:
            value = row[index]
            if isinstance(value, str) and value[:1] in _FORMULA_FIRST:
                row[index] = neutralise(value, phone=index in phone_at)
        table.append(row)
    return table


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _rows_by_name(
    records: Sequence[HandoffRecord], labels: list[str], marketing: bool
) -> list[list[Any]]:
    """The rows when an axis takes the name of one of the file's own columns (its cell then
    takes that column's place, as it always has)."""
    table: list[list[str | int | None]] = []
    mobile: dict[str | None, bool] = {}
    texts_at: list[int] = []
    phone_at: frozenset[int] = frozenset()
    for record in records:
        cells = _cells(record, labels, mobile)
        if marketing:
            cells.update(marketing_qualified.cell(record))
        if not table:  # every record has the same columns, in the same order
            names = list(cells)
            phone_at = frozenset(index for index, name in enumerate(names) if name in PHONE_COLUMNS)
            # An axis may take a number column's name.
            texts_at = [
                index
                for index, name in enumerate(names)
                if name not in NUMBER_COLUMNS or name in labels
            ]
        row = list(cells.values())
        for index in texts_at:
            value = row[index]
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                row[index] = neutralise(value, phone=index in phone_at)
        table.append(row)
    return table


NUMBER_COLUMNS = frozenset(
    {
        "NumberOfEmployees",
        "LeadDesk Lead ID",
        "Lead Definition Version",
        "Fit Score",
        "Interest Score",
    }
)


def _cells(
    record: HandoffRecord, labels: list[str], mobile: dict[str | None, bool]
) -> dict[str, str | int | None]:
    """A record's cells by column, in the order of ``columns`` (not neutralised yet)."""
    first, last = last_and_first(record)
    description = one_line(record.inquiry)
    if record.campaign:
        description = f"{description} (campaign: {one_line(record.campaign)})".strip()
    axes = {axis.label: axis.text for axis in record.axes}
    return {
        "FirstName": first,
        "LastName": last,
        "Company": company_or_domain(record),
        "Title": record.title or "",
        "Email": record.email or "",
        "Phone": record.phone or "",
        "MobilePhone": record.phone if _mobile(mobile, record.phone) else "",
        "LeadSource": LEAD_SOURCES.get(record.source, record.source.replace("_", " ").title()),
        "Status": STATUS,
        "Rating": rating(record),
        "Industry": record.industry or "",
        "NumberOfEmployees": record.employees,
        "Country": record.country or "",
        "Description": description,
        "LeadDesk Lead ID": record.lead_id,
        "Qualified By": record.qualified_by,
        "Qualified At": utc_text(record.qualified_at),
        "Lead Definition Version": record.definition_version,
        **{label: one_line(axes.get(label, "")) for label in labels},
        "Fit Score": record.fit_score,
        "Interest Score": record.interest_score,
        "Qualification Summary": one_line(record.summary),
        **meeting_cells(record),
    }


def _row(
    record: HandoffRecord, labels: list[str], mobile: dict[str | None, bool], lines: OneLine
) -> list[str | int | None]:
    """``_cells`` as a list, when no axis takes the name of another column."""
    first, last = last_and_first(record)
    description = lines[record.inquiry or ""]
    if record.campaign:
        description = f"{description} (campaign: {lines[record.campaign]})".strip()
    phone = record.phone
    source = record.source
    row: list[str | int | None] = [
        first,
        last,
        company_or_domain(record),
        record.title or "",
        record.email or "",
        phone or "",
        phone if _mobile(mobile, phone) else "",
        LEAD_SOURCES.get(source) or source.replace("_", " ").title(),
        STATUS,
        record.rating or rating(record),
        record.industry or "",
        record.employees,
        record.country or "",
        description,
        record.lead_id,
        record.qualified_by,
        utc_text(record.qualified_at),
        record.definition_version,
    ]
    if labels:
        axes = {axis.label: axis.text for axis in record.axes}
        row += [lines[axes.get(label, "")] for label in labels]
    row += [record.fit_score, record.interest_score, lines[record.summary]]
    meeting = meeting_cells(record) if record.meeting is not None else _NO_MEETING
    row += meeting.values()
    return row


_BEFORE_AXES = (
    *SALESFORCE_COLUMNS,
    "LeadDesk Lead ID",
    "Qualified By",
    "Qualified At",
    "Lead Definition Version",
)
_AFTER_AXES = ("Fit Score", "Interest Score", "Qualification Summary", *MEETING_COLUMNS)
_FIXED_NAMES = frozenset((*_BEFORE_AXES, *_AFTER_AXES))
_NO_MEETING = dict.fromkeys(MEETING_COLUMNS, "")


def render_csv(records: Sequence[HandoffRecord], lines: OneLine | None = None) -> bytes:
    # UTF-8 with a byte-order mark: Excel then reads accents right; CRM imports accept it.
    # csv.writer writes None as an empty cell.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns(records))
    writer.writerows(rows(records, lines))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Excel's most characters in a cell; a longer one makes it "repair" the workbook.
XLSX_CELL_LIMIT = 32_767
# What XML 1.0 (so a workbook) cannot hold: C0 controls other than tab, line feed, return.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_text(value: str) -> str:
    """A (neutralised) text as a workbook can hold it: control characters shown as U+FFFD
    (replaced, not removed, so no formula start is uncovered), and a text beyond Excel's
    cell limit cut short with "…". The CSV and JSON Lines keep the text whole."""
    value = _NOT_IN_XML.sub("\ufffd", value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - 1] + "…"
    return value


def render_manifest(
    facts: BatchFacts, records: Sequence[HandoffRecord], hashes: dict[str, tuple[str, int]]
) -> bytes:
    manifest = {
        "format": FORMAT_VERSION,
        "batch": facts.code,
        "batch_id": facts.batch_id,
        "created_by": facts.created_by,
        "created_at": utc_text(facts.created_at),
        "scope": facts.scope,
        "status": STATUS,
        "definition_version": facts.definition_version,
        "lead_definition_versions": sorted(
            {r.definition_version for r in records if r.definition_version is not None}
        ),
        "counts": {
            "leads": len(records),
            "csv_rows": len(records),
            "jsonl_records": len(records),
        },
        "lead_ids": [record.lead_id for record in records],
        "files": {
            name: {"sha256": digest, "bytes": size} for name, (digest, size) in hashes.items()
        },
    }
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


def render_batch(records: Sequence[HandoffRecord], facts: BatchFacts) -> dict[str, bytes]:
    """Every file of the batch by name, in writing order (manifest last)."""
    return hashed_batch(records, facts)[0]


def hashed_batch(
    records: Sequence[HandoffRecord], facts: BatchFacts
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every file of the batch by name, in writing order (manifest last), and each file's
    SHA-256 (worked out once: the manifest, the batch row and the check of a file already
    in place all use it)."""
    from leaddesk.handoff.json_lines import render_jsonl

    lines = OneLine()  # the CSV's one-line texts, the summary among them, reused by the JSONL
    files: dict[str, bytes] = {
        f"{facts.code}.csv": render_csv(records, lines),
        f"{facts.code}.jsonl": render_jsonl(records, facts, lines),
    }
    if facts.xlsx:
        from leaddesk.handoff.workbook import render_xlsx

        files[f"{facts.code}.xlsx"] = render_xlsx(records, facts)
    hashes = {name: (sha256(data), len(data)) for name, data in files.items()}
    files[MANIFEST] = render_manifest(facts, records, hashes)
    digests = {name: digest for name, (digest, _size) in hashes.items()}
    digests[MANIFEST] = sha256(files[MANIFEST])
    return files, digests
