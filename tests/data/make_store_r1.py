"""How tests/data/store-r1.sqlite3 was made: a store at schema 0001 with a little real data.

Kept for the record; the committed file is what the migration test opens. Re-running it
makes an equivalent store, e.g. ``python tests/data/make_store_r1.py /tmp/store-r1.sqlite3``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from leaddesk.store import open_store
from leaddesk.store.migrations import upgrade

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC).replace(tzinfo=None)


def main(path: str) -> None:
    store = open_store(path, migrate=False)
    upgrade(store, "0001")
    with store.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, name, display_name, role, capacity, active, territories,"
                " created_at) VALUES (1, 'rep1', 'Rep One', 'qualifier', 40, 1, '[]', :at),"
                " (2, 'lead1', 'Team Lead', 'team_lead', 40, 1, '[\"US\"]', :at)"
            ),
            {"at": AT},
        )
        c.execute(
            text(
                "INSERT INTO accounts (id, name, name_key, domain, industry, employees, country,"
                " is_customer, created_at) VALUES (1, 'Müller Logistik GmbH', 'muller logistik',"
                " 'mueller.example', 'Logistics', 240, 'DE', 0, :at)"
            ),
            {"at": AT},
        )
        c.execute(
            text(
                "INSERT INTO people (id, account_id, first_name, last_name, email, phone,"
                " phone_raw, country, timezone, do_not_call, created_at) VALUES (1, 1, 'Jörg',"
                " 'Müller', 'joerg@mueller.example', '+4915112345678', '0151 1234 5678', 'DE',"
                " 'Europe/Berlin', 0, :at)"
            ),
            {"at": AT},
        )
        c.execute(
            text(
                "INSERT INTO leads (id, person_id, account_id, source, inquiry, arrived_at,"
                " stage, stage_changed_at, existing_account, assigned_to_id, fit_score,"
                " interest_score, sla_due_at, attempts, version, created_at) VALUES (1, 1, 1,"
                " 'web_form', 'Pricing request', :at, 'working', :at, 0, 1, 62, 70, :sla, 1, 1,"
                " :at)"
            ),
            {"at": AT, "sla": AT + timedelta(hours=2)},
        )
        c.execute(
            text(
                "INSERT INTO call_attempts (lead_id, user_id, at, outcome, duration_seconds)"
                " VALUES (1, 1, :at, 'no_answer', 12)"
            ),
            {"at": AT + timedelta(minutes=20)},
        )
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
