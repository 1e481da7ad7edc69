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
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import phonenumbers

from leaddesk.definition.temperature import Temperature
from leaddesk.handoff import marketing_qualified
from leaddesk.handoff.cells import FORMULA_STARTS, neutralise
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


def _utc(moment: datetime) -> str:
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


def _is_mobile(phone: str | None) -> bool:
    if not phone:
        return False
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def _mobile(seen: dict[str | None, bool], phone: str | None) -> bool:
    found = seen.get(phone)
    if found is None:
        found = seen[phone] = _is_mobile(phone)
    return found


def rating(record: HandoffRecord) -> str:
    """The rating the record's definition gives it (the default levels for a bare record)."""
    return record.rating or Temperature().rating(record.fit_score, record.interest_score)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


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
        "Meeting At (UTC)": _utc(meeting.starts_at),
        "Meeting With": meeting.salesperson_name,
        "Decision Maker": _one_line(meeting.decision_maker),
        "Others Involved": "; ".join(_one_line(other) for other in meeting.others),
    }


def meeting_record(record: HandoffRecord) -> dict[str, Any] | None:
    meeting = record.meeting
    if meeting is None:
        return None
    return {
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "start_utc": _utc(meeting.starts_at),
        "end_utc": _utc(meeting.ends_at),
        "prospect_time": meeting.local().isoformat(),
        "prospect_zone": meeting.prospect_zone,
        "salesperson": meeting.salesperson,
        "salesperson_name": meeting.salesperson_name,
        "salesperson_time": meeting.local(meeting.salesperson_zone).isoformat(),
        "booked_by": meeting.booked_by,
        "decision_maker": meeting.decision_maker,
        "others_involved": list(meeting.others),
    }


def rows(records: Sequence[HandoffRecord]) -> list[list[str | int | None]]:
    """One row per lead; text cells already neutralised, numbers left as numbers."""
    labels = axis_labels(records)
    marketing = bool(marketing_qualified.columns(records))
    table: list[list[str | int | None]] = []
    mobile: dict[str | None, bool] = {}  # each distinct number parsed once
    texts_at: list[int] = []
    phone_at: frozenset[int] = frozenset()
    for record in records:
        cells = _cells(record, labels, mobile)
        if marketing:
            cells.update(marketing_qualified.cell(record))
        if not table:  # every record has the same columns, in the same order
            names = list(cells)
            phone_at = frozenset(index for index, name in enumerate(names) if name in PHONE_COLUMNS)
            # Only cells that may hold text are looked at for a formula start (an axis may
            # take a number column's name).
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
    description = _one_line(record.inquiry)
    if record.campaign:
        description = f"{description} (campaign: {_one_line(record.campaign)})".strip()
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
        "Qualified At": _utc(record.qualified_at),
        "Lead Definition Version": record.definition_version,
        **{label: _one_line(axes.get(label, "")) for label in labels},
        "Fit Score": record.fit_score,
        "Interest Score": record.interest_score,
        "Qualification Summary": _one_line(record.summary),
        **meeting_cells(record),
    }


def render_csv(records: Sequence[HandoffRecord]) -> bytes:
    # UTF-8 with a byte-order mark: Excel then reads accents right; CRM imports accept it.
    # csv.writer writes None as an empty cell.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns(records))
    writer.writerows(rows(records))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def full_record(record: HandoffRecord, facts: BatchFacts) -> dict[str, Any]:
    return {
        "lead_id": record.lead_id,
        "batch": facts.code,
        "status": STATUS,
        "person": {
            "first_name": record.first_name,
            "last_name": record.last_name,
            "title": record.title,
            "email": record.email,
            "phone": record.phone,
            "country": record.country,
            "city": record.city,
            "timezone": record.timezone,
        },
        "company": {
            "name": record.company,
            "domain": record.domain,
            "industry": record.industry,
            "employees": record.employees,
            "existing_customer": record.existing_customer,
        },
        "source": {
            "source": record.source,
            "campaign": record.campaign,
            "inquiry": record.inquiry,
            "arrived_at": _utc(record.arrived_at),
        },
        "qualification": {
            "qualified_by": record.qualified_by,
            "qualified_at": _utc(record.qualified_at),
            "definition_version": record.definition_version,
            "stage": record.stage_label,
            "lead_type": record.lead_type.value if record.lead_type else None,
            "lead_type_label": record.lead_type_label,
            "reason": record.verdict_reason,
            "overridden": record.overridden,
            "override_reason": record.override_reason,
            "fired_rules": list(record.fired_rules),
            "summary": _one_line(record.summary),
            "marketing_qualified": marketing_qualified.as_record(record),
        },
        "scores": {
            "fit": record.fit_score,
            "interest": record.interest_score,
            "framework": record.framework_score,
            "rating": rating(record),
        },
        "answers": record.answers,
        "answers_read": [
            {"question_id": qid, "question": text, "answer": answer}
            for qid, text, answer in record.answer_labels
        ],
        "framework": {axis.label: axis.text for axis in record.axes},
        "notes": list(record.notes),
        "meeting": meeting_record(record),
        "calls": {
            "count": len(record.calls),
            "connected": sum(1 for call in record.calls if call["outcome"] == "connected"),
            "first_at": record.calls[0]["at"] if record.calls else None,
            "last_at": record.calls[-1]["at"] if record.calls else None,
            "history": list(record.calls),
        },
    }


def render_jsonl(records: Sequence[HandoffRecord], facts: BatchFacts) -> bytes:
    encode = _JSON_LINE.encode
    return "".join([encode(full_record(record, facts)) + "\n" for record in records]).encode(
        "utf-8"
    )


# What json.dumps(…, ensure_ascii=False, sort_keys=True, default=str) writes, with the
# encoder made once rather than once per record.
_JSON_LINE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def render_xlsx(records: Sequence[HandoffRecord], facts: BatchFacts) -> bytes:
    """The CSV's table as a workbook, byte-for-byte repeatable.

    openpyxl stamps the save time into the document properties and the zip entries; both
    are replaced with fixed values so a rewrite of the batch has the same SHA-256.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet.append(columns(records))
    for number, row in enumerate(rows(records), start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = sheet_text(value)
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never "f", whatever the text looks like
    naive = facts.created_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book.properties.creator = "LeadDesk"
    book.properties.created = naive
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = naive.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(
                    lambda m: (
                        b"<dcterms:modified" + m.group(1) + b">" + stamp + b"</dcterms:modified>"
                    ),
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


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
        "created_at": _utc(facts.created_at),
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
    files: dict[str, bytes] = {
        f"{facts.code}.csv": render_csv(records),
        f"{facts.code}.jsonl": render_jsonl(records, facts),
    }
    if facts.xlsx:
        files[f"{facts.code}.xlsx"] = render_xlsx(records, facts)
    hashes = {name: (sha256(data), len(data)) for name, data in files.items()}
    files[MANIFEST] = render_manifest(facts, records, hashes)
    return files
