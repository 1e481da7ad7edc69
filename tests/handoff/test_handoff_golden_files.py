"""A batch's files are byte for byte the ones kept in tests/handoff/golden/, read from a store
made by hand: mobile and landline numbers of several countries, no phone, no company, accents,
cells that look like formulas, answers, notes and calls. Speeding up the export (issue #24)
must not change a byte sales receives.

After a deliberate change to the files, write the golden files again with
``LEADDESK_WRITE_GOLDEN=1 pytest tests/handoff/test_handoff_golden_files.py -k sqlite``
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from handoff_helpers import Team
from sqlalchemy import select

from leaddesk.handoff.records import read_records
from leaddesk.handoff.render import BatchFacts, render_batch
from leaddesk.store.models import HandoffBatch

GOLDEN = Path(__file__).parent / "golden"


def _hand_made_leads(team: Team) -> None:
    team.qualified_lead("rep1")  # a London landline
    team.qualified_lead("rep1", first="Grace", last="Hopper", phone="+447700900123")  # mobile
    team.qualified_lead(
        "rep2",
        first="Zoë",
        last="Ødegård",
        company="Société Générale",
        phone="+4915112345678",  # a German mobile
        title='=HYPERLINK("http://x")',
        note="Rappeler jeudi\tà 10 h\nvia l'assistante",
    )
    team.qualified_lead("rep2", first="", last="", company=None, phone=None, answers={}, note=None)
    team.qualified_lead(
        "rep1",
        first="-Minus",
        last="+Plus",
        company="@Acme",
        phone="+12125550100",  # New York: fixed line or mobile, not a mobile
        answers={"budget_status": "not_yet", "timeline": "unknown", "pain_level": "minor"},
    )
    team.qualified_lead("rep1", first="Jean", last="Dupont", phone="+33612345678", hours_ago=30)


def test_a_batch_is_written_byte_for_byte_as_before(team: Team, out_dir: Path) -> None:
    _hand_made_leads(team)
    with team.desk("lead1") as desk:
        exported = desk.handoff.export(out_dir, team=True, xlsx=True).new_batch
    assert exported is not None
    with team.store.reading() as session:
        batch = session.scalars(select(HandoffBatch)).one()
        records = read_records(session, batch)
        facts = BatchFacts(
            batch_id=1,
            code="golden",
            created_by="lead1",
            created_at=batch.created_at,
            scope=batch.scope,
            definition_version=batch.definition_version,
            xlsx=True,
        )
    files = render_batch(records, facts)
    assert list(files) == ["golden.csv", "golden.jsonl", "golden.xlsx", "manifest.json"]
    if os.environ.get("LEADDESK_WRITE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        for name, data in files.items():
            (GOLDEN / name).write_bytes(data)
    for name, data in files.items():
        assert data == (GOLDEN / name).read_bytes(), f"{name} differs from tests/handoff/golden/"
    # The files the export wrote hold the same table (its CSV has no batch code in it).
    assert (exported.folder / f"{exported.code}.csv").read_bytes() == files["golden.csv"]
