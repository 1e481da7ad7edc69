"""What an import kept of a lead beyond its own fields, for the lead card's "From the file"
section: other numbers, the CRM's record id, the extra columns, values kept as typed, and what
the import only assumed (the country a national number was read in)."""

from __future__ import annotations

import re
from typing import Any

# Extra columns (lower case, punctuation as spaces) that hold the record's id in the CRM or
# marketing tool the file came from: shown first, as "CRM record id".
CRM_ID_COLUMNS = frozenset(
    {
        "record id", "crm id", "crm record id", "lead id", "contact id", "id", "salesforce id",
        "sfdc id", "hubspot id", "marketo id", "external id", "lead id 18", "contact id 18",
        "18 digit id", "case safe id", "prospect id", "person id",
    }
)  # fmt: skip
# (key in the lead's extra, what the card calls it), in the order shown.
_KEPT = (
    ("mobile", "Mobile"),
    ("direct_line", "Direct line"),
    ("phone_as_typed", "Phone as typed"),
    ("email_as_typed", "Email as typed"),
    ("country_as_typed", "Country as typed"),
    ("state", "State"),
    ("address", "Address"),
    ("website", "Website"),
    ("notes", "Notes"),
)
_NON_WORD = re.compile(r"[\W_]+")


def column_words(name: str) -> str:
    return " ".join(_NON_WORD.sub(" ", name.casefold()).split())


def is_crm_id(column: str) -> bool:
    return column_words(column) in CRM_ID_COLUMNS


def country_assumed(extra: dict[str, Any] | None) -> str | None:
    """The region the import read a national number in, for want of a country in the row."""
    value = (extra or {}).get("country_assumed")
    return value if isinstance(value, str) and value else None


def later_columns(extra: dict[str, Any]) -> list[tuple[str, str]]:
    """Columns of later rows that added interest to the lead, newest first, each saying which
    file and row it came from; the first file's values follow them, never overwritten."""
    shown: list[tuple[str, str]] = []
    later = extra.get("later_columns")
    for entry in later if isinstance(later, list) else ():
        columns = entry.get("columns") if isinstance(entry, dict) else None
        if not isinstance(columns, dict):
            continue
        where = f"from {entry.get('file')}, row {entry.get('row')}"
        for column, value in columns.items():
            if isinstance(value, str) and value:
                shown.append((str(column), f"{value} ({where})"))
    return shown


def from_the_file(extra: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(what, value) for everything the import kept of the row beyond the lead's fields."""
    if not extra:
        return ()
    shown: list[tuple[str, str]] = []
    columns = extra.get("columns")
    columns = columns if isinstance(columns, dict) else {}
    # The id a known shape read (intake/shapes) comes first; a column that only looks like one
    # (an unknown tool's "Record ID") is shown as such too.
    crm_ids = [extra.get("crm_id")]
    crm_ids += [value for column, value in columns.items() if is_crm_id(str(column))]
    for value in dict.fromkeys(crm_ids):
        if isinstance(value, str) and value:
            shown.append(("CRM record id", value))
    account = extra.get("account_crm_id")
    if isinstance(account, str) and account:
        shown.append(("Company's CRM id", account))
    for key, words in _KEPT:
        value = extra.get(key)
        if isinstance(value, str) and value:
            shown.append((words, value))
    shared = extra.get("shared_phone")
    if isinstance(shared, dict):
        for number, names in shared.items():
            who = ", ".join(str(name) for name in names) if isinstance(names, list) else ""
            shown.append(("Shared number", f"{number}, also {who}'s" if who else str(number)))
    assumed = country_assumed(extra)
    if assumed is not None:
        shown.append(("Country assumed", f"{assumed} (the number had no country code)"))
    shown.extend(later_columns(extra))
    for column, value in columns.items():
        if not is_crm_id(str(column)) and isinstance(value, str) and value:
            shown.append((str(column), value))
    origin = extra.get("intake")
    if isinstance(origin, dict) and origin.get("file"):
        row = f", row {origin['row']}" if origin.get("row") else ""
        shown.append(("Imported from", f"{origin['file']}{row}"))
    return tuple(shown)
