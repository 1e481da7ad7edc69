"""What an import kept beyond a lead's fields, as search finds it (table lead_file_values):
its other numbers (E.164), the CRM's record id and every kept column's value (those of later
rows that added interest to it too), lower-cased."""

from __future__ import annotations

from typing import Any

# Longest value kept for search (the column's width): a search matches its start.
SEARCHABLE_CHARS = 128


def search_text(text: str) -> str:
    """A value as search keeps and compares it: lower-cased, spaces collapsed, cut short."""
    return " ".join(text.casefold().split())[:SEARCHABLE_CHARS]


def searchable_values(extra: dict[str, Any] | None) -> set[str]:
    """What search finds a lead by beyond its person and company: its other numbers (E.164),
    the CRM's record id and every kept column's value."""
    if not extra:
        return set()
    found = [extra.get(key) for key in ("mobile", "direct_line", "crm_id", "account_crm_id")]
    columns = extra.get("columns")
    if isinstance(columns, dict):
        found.extend(columns.values())
    later = extra.get("later_columns")
    for entry in later if isinstance(later, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("columns"), dict):
            found.extend(entry["columns"].values())
    shown = {search_text(value) for value in found if isinstance(value, str)}
    return {value for value in shown if len(value) >= 2}
