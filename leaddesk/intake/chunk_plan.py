"""What planning a chunk decides, before anything is written: the new accounts, people and
leads, the interest added to open leads, and the report lines (docs/architecture.md §6)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from leaddesk.contacts.phones import normalise_phone
from leaddesk.intake.matching import KnownAccount, KnownLead, KnownPerson
from leaddesk.intake.rows import CleanRow, RowProblem, country_code

# Columns (lower case, punctuation as spaces) whose number is kept as the person's direct line.
DIRECT_LINE_COLUMNS = frozenset(
    {"direct line", "direct dial", "direct phone", "direct number", "direct", "dd", "ddi"}
)


@dataclass(eq=False)
class PlannedAccount:
    values: dict[str, Any]
    known: KnownAccount
    key: str  # the company key later rows find it by


@dataclass(eq=False)
class PlannedPerson:
    values: dict[str, Any]
    known: KnownPerson
    account: KnownAccount | None  # its id is read when the person is written
    phones: tuple[str, ...]  # the numbers and company keys later rows may match them on
    companies: tuple[str, ...]


@dataclass(eq=False)
class PlannedLead:
    values: dict[str, Any]
    known: KnownLead
    person: KnownPerson
    new_person: PlannedPerson | None
    account: KnownAccount | None
    row: int
    # What search finds it by in its extra, when worked out beside the cleaning.
    searchable: set[str] | None = None


@dataclass(eq=False)
class MoreInterest:
    """New interest for a lead that stays open: its timeline note and the score raise."""

    lead: KnownLead
    new_lead: PlannedLead | None
    start_score: int
    notes: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    # The rows' other columns, oldest first, kept on the lead beside what it already had.
    later: list[dict[str, Any]] = field(default_factory=list)

    def add_row(self, row: CleanRow, file_name: str, phone: str | None) -> list[RowProblem]:
        """Keep ``row``'s other columns, and the mobile number and CRM id the lead lacks
        (``phone``: its person's number). A mobile number or CRM id other than the lead's is
        never written over it: returned, for the report."""
        self.rows.append(row.number)
        ids, differ = self._ids_of(row, phone)
        if row.extra or ids:
            entry = {"file": file_name, "row": row.number, "columns": dict(row.extra), **ids}
            self.later.append(entry)
        return differ

    def _ids_of(self, row: CleanRow, phone: str | None) -> tuple[dict[str, str], list[RowProblem]]:
        extra = self.new_lead.values["extra"] if self.new_lead else (self.lead.extra or {})
        had = {**extra, **{k: v for entry in self.later for k, v in entry.items() if k in IDS}}
        ids: dict[str, str] = {}
        differ: list[RowProblem] = []
        target = f"lead #{self.lead.id}" if self.lead.id else f"the lead from row {self.lead.row}"
        mobile, kept_mobile = row.mobile_e164, had.get("mobile")
        if mobile and mobile not in (phone, had.get("direct_line"), kept_mobile):
            if not kept_mobile:
                ids["mobile"] = mobile
            else:
                why = f"Mobile differs: {target} has {kept_mobile}, kept; check which is right"
                differ.append(RowProblem(row.number, "mobile", why, mobile))
        kept = had.get("crm_id")
        if row.crm_id and not kept:
            ids["crm_id"] = row.crm_id
        elif row.crm_id and kept != row.crm_id:
            why = f"CRM id differs: {target} has {kept}, kept; check which record is right"
            differ.append(RowProblem(row.number, "crm_id", why, row.crm_id))
        return ids, differ


# What a later row may give a lead it lacks, beside its other columns.
IDS = ("mobile", "crm_id")


@dataclass
class ChunkPlan:
    accounts: list[PlannedAccount] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)
    leads: list[PlannedLead] = field(default_factory=list)
    interest: dict[int, MoreInterest] = field(default_factory=dict)  # by id(KnownLead)
    report: list[RowProblem] = field(default_factory=list)
    # People (stored, or new in this chunk) found on the do-not-call list: flagged, and their
    # open leads held, once the chunk is written.
    do_not_call: list[KnownPerson] = field(default_factory=list)
    # Stored leads whose person a new person shares a number with (the number, the new
    # person's name): their ``extra`` already says so, written with the chunk.
    shared_on: list[tuple[KnownLead, str, str]] = field(default_factory=list)
    first_row: int = 0
    last_row: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # the run's counts after this chunk


def row_number(item: CleanRow | RowProblem) -> int:
    return item.number if isinstance(item, CleanRow) else item.row


@lru_cache(maxsize=4096)
def source_key(text: str) -> str:
    """ "Web form" -> "web_form": sources are compared and reported by key."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()
    return "_".join(words)[:64]


def fact_key(text: str) -> str | None:
    words = text.strip().casefold().replace("-", " ").replace("/", " ").split()
    return "_".join(words) or None


def column_words(column: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", column.casefold()).split())


def website_domain(row: CleanRow) -> str | None:
    site = row.website.strip().casefold()
    if site:
        for prefix in ("https://", "http://"):
            site = site.removeprefix(prefix)
        site = site.removeprefix("www.").split("/")[0].split("?")[0]
        return site[:256] or None
    return None


def extra_details(
    row: CleanRow, *, run_id: int | None, file_name: str, source: str, region: str | None
) -> dict[str, Any]:
    """A new lead's ``extra``: where it came from, and what the row says beyond the columns
    the lead has (a second number, the address, values as typed that did not clean)."""
    extra: dict[str, Any] = {
        "intake": {
            "run": run_id,
            "file": file_name,
            "row": row.number,
            "source": source,
        }
    }
    if row.extra:
        extra["columns"] = row.extra
    for name, value in (
        ("state", row.state),
        ("address", row.address),
        ("website", row.website),
        ("notes", row.notes),
        ("country_as_typed", row.country),
        ("crm_id", row.crm_id),
        ("account_crm_id", row.account_crm_id),
    ):
        if value:
            extra[name] = value
    if row.phone_e164 and row.mobile_e164:
        extra["mobile"] = row.mobile_e164
    direct = direct_line(row, region)
    if direct is not None and direct not in (row.phone_e164, row.mobile_e164):
        extra["direct_line"] = direct
    assumed = assumed_country(row, region)
    if assumed is not None:
        extra["country_assumed"] = assumed
    if row.email is None and row.email_raw:
        extra["email_as_typed"] = row.email_raw
    if row.phone_flag and row.phone_raw and not row.phone_e164:
        extra["phone_as_typed"] = row.phone_raw
    return extra


def assumed_country(row: CleanRow, region: str | None) -> str | None:
    """The policy's region, when the row's number was read in it for want of a country: a
    national number ("(212) 555-0101") in a row without a country it names. A guess, shown as
    one on the lead card."""
    if region is None or (row.country and country_code(row.country)):
        return None
    raw = row.phone_raw if row.phone_e164 else row.mobile_raw if row.mobile_e164 else ""
    typed = raw.lstrip()
    if not typed or typed.startswith(("+", "00")):
        return None
    return region


def with_later_columns(
    extra: dict[str, Any], later: list[dict[str, Any]], run_id: int
) -> dict[str, Any]:
    """``extra`` with the other columns of rows that added interest to its lead: a value the
    lead already has under that column is not repeated, and nothing it had is overwritten; the
    new ones go first in ``later_columns`` (newest first), each with its file, row and run
    (and the mobile number or CRM id it gave the lead, which undo takes back)."""
    earlier = extra.get("later_columns")
    kept: list[dict[str, Any]] = list(earlier) if isinstance(earlier, list) else []
    first = extra.get("columns")
    known = set(first.items()) if isinstance(first, dict) else set()
    for entry in kept:
        if isinstance(entry, dict) and isinstance(entry.get("columns"), dict):
            known.update(entry["columns"].items())
    given: dict[str, str] = {}  # a mobile number or CRM id the lead lacked
    for entry in later:
        new = {
            column: value
            for column, value in entry["columns"].items()
            if value and (column, value) not in known
        }
        # Said on the entry only when it gave them, so undo takes back nothing else.
        ids = {
            name: entry[name]
            for name in IDS
            if entry.get(name) and not extra.get(name) and name not in given
        }
        given.update(ids)
        if new or ids:
            known.update(new.items())
            plain = {key: value for key, value in entry.items() if key not in IDS}
            kept.insert(0, {**plain, **ids, "columns": new, "run": run_id})
    extra = {**extra, **given}
    return {**extra, "later_columns": kept} if kept else extra


def direct_line(row: CleanRow, region: str | None) -> str | None:
    """A direct line kept among the row's other columns ("Direct Line", "Direct Dial", or a
    second phone column such as "Direct Phone"), as E.164 when it reads as a number."""
    for column, value in row.extra.items():
        if column_words(column) in DIRECT_LINE_COLUMNS:
            number = normalise_phone(value, region).e164
            if number is not None:
                return number
    return None
