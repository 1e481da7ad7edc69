"""Search's FTS5 index (SQLite, migration 0019) filled in one statement for many new leads.

A trigger indexes each new lead; but FTS5 writes its pending words out at the end of every
statement, so a driver's executemany of 10,000 leads would add 10,000 tiny index segments
(about 0.8 s of CPU). A bulk writer sets that trigger aside for its rows
(``leaddesk.store.row_triggers``) and indexes them all at once after with ``FILL``.
"""

from __future__ import annotations

# The leads whose ids are given (a JSON list) into the index, as the trigger puts one.
FILL = """
    INSERT INTO lead_search(rowid, first, last, email, phone, company)
    SELECT l.id, p.first_name, p.last_name,
        replace(replace(replace(replace(replace(
            p.email, '.', ''), '@', ''), '-', ''), '_', ''), '+', ''),
        replace(p.phone, '+', ''), a.name_key
    FROM leads AS l
    JOIN people AS p ON p.id = l.person_id
    LEFT JOIN accounts AS a ON a.id = l.account_id
    WHERE p.erased_at IS NULL AND l.id IN (SELECT value FROM json_each(?))
"""
