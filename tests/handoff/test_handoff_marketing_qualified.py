"""A hand-off says when marketing vouched for a lead: sales reads "Basic Qualified Lead" and
when, in the lead definition's words, in the CSV (and workbook) and in each JSONL record.

A batch with no such lead keeps its columns as they were (tests/handoff/golden/).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from handoff_helpers import Team
from openpyxl import load_workbook

from leaddesk.files.resources import resource_path
from leaddesk.handoff.render import MEETING_COLUMNS
from leaddesk.store.models import Lead

LABEL = "Basic Qualified Lead"
WITH_STAGE = resource_path("definitions", "bant.toml").read_text(encoding="utf-8") + (
    f'\n[stages.marketing_qualified]\nlabel = "{LABEL}"\n'
    'definition = "Came in through our form and asked for something."\n'
    'when = { source = "web_form", interest = { gte = 40 } }\n'
)


def _vouched_for(team: Team, lead_id: int) -> None:
    with team.store.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.marketing_qualified_at = lead.arrived_at + timedelta(seconds=1)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_a_marketing_qualified_lead_says_so_in_the_definitions_words_in_every_file(
    team: Team, out_dir: Path
) -> None:
    with team.desk("lead1") as desk:
        desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
    vouched = team.qualified_lead("rep1")
    plain = team.qualified_lead("rep1", first="Grace")
    _vouched_for(team, vouched)
    arrived = team.lead(vouched).arrived_at + timedelta(seconds=1)
    at = f"{arrived:%Y-%m-%dT%H:%M:%SZ}"

    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir, xlsx=True).new_batch
    assert batch is not None

    rows = _csv(batch.folder / f"{batch.code}.csv")
    assert list(rows[0])[-2:] == [MEETING_COLUMNS[-1], "Marketing Qualified"]
    by_id = {int(row["LeadDesk Lead ID"]): row for row in rows}
    assert by_id[vouched]["Marketing Qualified"] == f"{LABEL} ({at})"
    assert by_id[plain]["Marketing Qualified"] == ""
    sheet = load_workbook(batch.folder / f"{batch.code}.xlsx").active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][-1] == "Marketing Qualified" and f"{LABEL} ({at})" in table[1] + table[2]

    lines = (batch.folder / f"{batch.code}.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["lead_id"]: r for r in map(json.loads, lines)}
    assert records[vouched]["qualification"]["marketing_qualified"] == {"stage": LABEL, "at": at}
    assert records[plain]["qualification"]["marketing_qualified"] is None


def test_a_batch_without_a_marketing_qualified_lead_keeps_its_columns(
    team: Team, out_dir: Path
) -> None:
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    assert list(_csv(batch.folder / f"{batch.code}.csv")[0])[-1] == MEETING_COLUMNS[-1]
