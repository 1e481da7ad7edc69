"""Search reads a full-text index of each lead's names, e-mail, phone digits and company.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:10:00

On SQLite an FTS5 table ``lead_search`` (rowid = the lead's id) kept by triggers on leads,
people and accounts, so every writer (an import, a correction, an erasure, a restore) keeps it
without knowing it is there; erased people are left out. It is derived: backups leave it out
and a restore fills it again through the same triggers. An upgraded store fills it from the
leads it has. PostgreSQL keeps its btree walks (0004) and gets a trigram index of the whole
name for a first and a last name searched together.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A lead's indexed words, selected for the leads ``{where}`` picks (joined as l, p, a). The
# e-mail is one word, its marks taken out: split at "." and "@", every address would share
# the words "com" and "gmail", and a phrase of them walks millions of positions.
_ROWS = """
    SELECT l.id, p.first_name, p.last_name,
        replace(replace(replace(replace(replace(
            p.email, '.', ''), '@', ''), '-', ''), '_', ''), '+', ''),
        replace(p.phone, '+', ''), a.name_key
    FROM leads AS l
    JOIN people AS p ON p.id = l.person_id
    LEFT JOIN accounts AS a ON a.id = l.account_id
    WHERE p.erased_at IS NULL AND {where}
"""
_INSERT = "INSERT INTO lead_search(rowid, first, last, email, phone, company)" + _ROWS
_FOR_LEAD = _INSERT.format(where="l.id = new.id")
_FOR_PERSON = _INSERT.format(where="l.person_id = new.id")
_FOR_ACCOUNT = _INSERT.format(where="l.account_id = new.id")

_STATEMENTS = (
    # Prefixes of 2 and 3 characters have their own index: "ma" is one lookup, not a merge of
    # every word starting so.
    """CREATE VIRTUAL TABLE lead_search USING fts5(
        first, last, email, phone, company, tokenize = 'unicode61', prefix = '2 3'
    )""",
    # A bulk writer's rows (leaddesk.store.search_fill) are indexed in one statement after.
    "CREATE TABLE lead_search_paused (paused INTEGER NOT NULL)",
    f"""CREATE TRIGGER lead_search_lead_added AFTER INSERT ON leads
    WHEN NOT EXISTS (SELECT 1 FROM lead_search_paused) BEGIN
        {_FOR_LEAD};
    END""",
    """CREATE TRIGGER lead_search_lead_removed AFTER DELETE ON leads BEGIN
        DELETE FROM lead_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER lead_search_lead_moved AFTER UPDATE OF person_id, account_id ON leads
    WHEN old.person_id IS NOT new.person_id OR old.account_id IS NOT new.account_id BEGIN
        DELETE FROM lead_search WHERE rowid = old.id;
        {_FOR_LEAD};
    END""",
    f"""CREATE TRIGGER lead_search_person_changed
    AFTER UPDATE OF first_name, last_name, email, phone, erased_at ON people
    WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
        OR old.email IS NOT new.email OR old.phone IS NOT new.phone
        OR old.erased_at IS NOT new.erased_at BEGIN
        DELETE FROM lead_search WHERE rowid IN (SELECT id FROM leads WHERE person_id = new.id);
        {_FOR_PERSON};
    END""",
    f"""CREATE TRIGGER lead_search_company_renamed AFTER UPDATE OF name_key ON accounts
    WHEN old.name_key IS NOT new.name_key BEGIN
        DELETE FROM lead_search WHERE rowid IN (SELECT id FROM leads WHERE account_id = new.id);
        {_FOR_ACCOUNT};
    END""",
    _INSERT.format(where="1 = 1"),
    "INSERT INTO lead_search(lead_search) VALUES ('optimize')",
)


# PostgreSQL: a trigram index of each person's whole name, lower-cased, so a first and a
# last name prefix together ("john sm") is one index probe. pg_trgm is a trusted extension:
# a database's owner may add it.
_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX ix_people_full_name_trgm ON people USING gin (
        (lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) gin_trgm_ops
    )""",
)


def upgrade() -> None:
    statements = _STATEMENTS if op.get_bind().dialect.name == "sqlite" else _POSTGRES
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_people_full_name_trgm")
        return
    for name in ("lead_added", "lead_removed", "lead_moved", "person_changed", "company_renamed"):
        op.execute(f"DROP TRIGGER IF EXISTS lead_search_{name}")
    op.execute("DROP TABLE IF EXISTS lead_search")
    op.execute("DROP TABLE IF EXISTS lead_search_paused")
