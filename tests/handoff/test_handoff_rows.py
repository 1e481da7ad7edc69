"""The CSV's rows are built as lists (issue #24: a dict per row cost more than writing it);
each cell still sits under its column, neutralised as before."""

from __future__ import annotations

from datetime import UTC, datetime

from leaddesk.domain import LeadType
from leaddesk.handoff.records import AxisAnswer, HandoffRecord
from leaddesk.handoff.render import _rows_by_name, axis_labels, columns, rows

AT = datetime(2026, 11, 18, 15, tzinfo=UTC)


def _record(lead_id: int, **changes: object) -> HandoffRecord:
    values: dict[str, object] = {
        "lead_id": lead_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "title": "=CFO",
        "email": "ada@example.com",
        "phone": "+447400123456",
        "country": "GB",
        "city": "London",
        "timezone": "Europe/London",
        "company": "-Analytical Engines",
        "domain": "example.com",
        "industry": "Computing",
        "employees": 12,
        "existing_customer": False,
        "source": "web_form",
        "campaign": "Autumn",
        "inquiry": "Wants\npricing",
        "arrived_at": AT,
        "qualified_by": "rep1",
        "qualified_by_name": "Rep One",
        "qualified_at": AT,
        "definition_version": 1,
        "lead_type": LeadType.SALES_WORTHY,
        "verdict_reason": None,
        "overridden": False,
        "override_reason": None,
        "fired_rules": (),
        "fit_score": 80,
        "interest_score": 75,
        "framework_score": None,
        "answers": {},
        "answer_labels": (),
        "axes": (AxisAnswer("Budget", "+50k"), AxisAnswer("Need", "Major")),
        "notes": (),
        "calls": (),
        "summary": "Rep One qualified this lead.",
    }
    values.update(changes)
    return HandoffRecord(**values)  # type: ignore[arg-type]


def test_each_cell_of_a_row_sits_under_its_column_as_when_cells_were_named() -> None:
    records = [
        _record(1),
        _record(2, phone="+12125550100", axes=(AxisAnswer("Need", "@once"),), company=None),
        _record(3, phone=None, employees=None, definition_version=None, source="odd_source"),
        _record(
            4, marketing_qualified=("=Basic Qualified Lead", datetime(2026, 12, 7, tzinfo=UTC))
        ),
    ]
    table = rows(records)
    assert table == _rows_by_name(records, axis_labels(records), marketing=True)
    header = columns(records)
    first = dict(zip(header, table[0], strict=True))
    assert first["MobilePhone"] == "+447400123456"
    assert first["Title"] == "'=CFO"
    assert first["Company"] == "'-Analytical Engines"
    assert first["Budget"] == "'+50k"
    assert first["Description"] == "Wants pricing (campaign: Autumn)"
    assert first["NumberOfEmployees"] == 12
    second = dict(zip(header, table[1], strict=True))
    assert (second["MobilePhone"], second["Budget"], second["Need"]) == ("", "", "'@once")
    assert second["Company"] == "example.com"
    third = dict(zip(header, table[2], strict=True))
    assert (third["Phone"], third["LeadSource"], third["NumberOfEmployees"]) == (
        "",
        "Odd Source",
        None,
    )
    # Marketing vouched for the fourth: a last column, neutralised like every text cell.
    assert header[-1] == "Marketing Qualified"
    assert (first["Marketing Qualified"], table[3][-1]) == (
        "",
        "'=Basic Qualified Lead (2026-12-07T00:00:00Z)",
    )


def test_an_axis_named_like_one_of_the_files_columns_takes_that_columns_place() -> None:
    records = [_record(1, axes=(AxisAnswer("Country", "=x"),))]
    (row,) = rows(records)
    assert row == _rows_by_name(records, ["Country"], marketing=False)[0]
    assert "'=x" in row
