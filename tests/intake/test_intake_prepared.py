"""What the cleaning helper works out for planning is what the planner would work out itself,
and is used only for the file, source and region it was made for."""

from __future__ import annotations

from pathlib import Path

from leaddesk.contacts.kept_values import searchable_values
from leaddesk.intake import RawRow, detect_mapping
from leaddesk.intake.chunk_plan import extra_details
from leaddesk.intake.cleaning import Chunk, Job, _clean_batch, _prepared
from leaddesk.intake.matching import key_before_names
from leaddesk.intake.prepared import (
    PreparedFor,
    before_keys,
    for_planning,
    lead_extra,
    pack,
    unpack,
)
from leaddesk.intake.rows import CleanRow

HEADER = ["First Name", "Last Name", "Email", "Phone", "Mobile", "Company", "Country",
          "Direct Dial", "Lead ID", "Favourite Colour"]  # fmt: skip
ROWS = [
    ["Ada", "Lovelace", "ada@engines.example", "(415) 555-2671", "+44 7700 900123",
     "Analytical Engines", "", "+1 415 555 0199", "00Q000000001", "Teal"],
    ["Bob", "Stone", "", "+49 30 901820", "", "Stone GmbH", "Germany", "", "", ""],
    ["", "", "not an email", "12", "", "", "", "", "", ""],
]  # fmt: skip


def _job(source: str = "webinar") -> Job:
    return Job(
        path=Path("/exports/leads.csv"),
        encoding=None,
        sheet=None,
        mapping=detect_mapping(HEADER),
        region="US",
        day_first=False,
        source=source,
        chunk_rows=100,
    )


def _chunk(job: Job) -> Chunk:
    raws = [RawRow(n, dict(zip(HEADER, cells, strict=True))) for n, cells in enumerate(ROWS, 2)]
    return _prepared(_clean_batch(raws, job), job)


def test_values_prepared_beside_the_cleaning_are_those_the_planner_works_out_itself() -> None:
    job = _job()
    chunk = _chunk(job)
    made_for = PreparedFor("leads.csv", "webinar", "US")
    assert chunk.prepared_for == made_for
    # Across the process boundary and back, as a big file's chunks travel.
    prepared = unpack(pack(chunk.prepared))
    rows = [item for item in chunk.items if isinstance(item, CleanRow)]
    assert len(rows) == 2 and prepared[2] is None  # the unusable row has nothing prepared
    for row, entry in zip(rows, prepared, strict=False):
        extra, searchable = lead_extra(entry, row, run_id=7, made_for=made_for)
        expected = extra_details(
            row, run_id=7, file_name="leads.csv", source="webinar", region="US"
        )
        assert extra == expected
        assert searchable == searchable_values(expected)
    assert before_keys(chunk.items, prepared, "webinar") == {
        row.number: key_before_names("webinar", row) for row in rows if row.email
    }
    ada_extra = lead_extra(prepared[0], rows[0], run_id=7, made_for=made_for)[0]
    assert ada_extra["direct_line"] == "+14155550199" and ada_extra["crm_id"] == "00Q000000001"


def test_values_prepared_for_another_source_are_worked_out_again() -> None:
    chunk = _chunk(_job(source="webinar"))
    planner_for = PreparedFor("leads.csv", "trade_show", "US")
    prepared = for_planning(chunk.items, chunk.prepared, chunk.prepared_for, planner_for)
    assert prepared == [None, None, None]
    row = chunk.items[0]
    assert isinstance(row, CleanRow)
    extra, searchable = lead_extra(prepared[0], row, run_id=None, made_for=planner_for)
    assert extra["intake"]["source"] == "trade_show" and searchable is None
    assert before_keys(chunk.items, prepared, "trade_show")[2] == key_before_names(
        "trade_show", row
    )
