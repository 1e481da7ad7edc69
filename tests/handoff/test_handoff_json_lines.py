"""The JSON Lines write each answer as read once per batch (issue #24); a line is the same
bytes as the record written on its own, and a line orjson refuses still comes out whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from leaddesk.domain import LeadType
from leaddesk.handoff.json_lines import full_record, json_line, render_jsonl
from leaddesk.handoff.records import AxisAnswer, HandoffRecord
from leaddesk.handoff.render import BatchFacts

AT = datetime(2026, 11, 18, 15, tzinfo=UTC)
FACTS = BatchFacts(7, "handoff-1", "lead1", AT, "team", 1, xlsx=False)
READ = (
    ("budget_status", "Is there budget\nset aside?", "Yes, approved"),
    ("timeline", "When do you want a solution in place?", "Within 3 months"),
)


def _record(lead_id: int, **changes: object) -> HandoffRecord:
    values: dict[str, object] = {
        "lead_id": lead_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "title": None,
        "email": "ada@example.com",
        "phone": "+447400123456",
        "country": "GB",
        "city": "London",
        "timezone": "Europe/London",
        "company": "Analytical Engines",
        "domain": "example.com",
        "industry": "Computing",
        "employees": 12,
        "existing_customer": False,
        "source": "web_form",
        "campaign": None,
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
        "answers": {"budget_status": "approved", "timeline": "3_months"},
        "answer_labels": READ,
        "axes": (AxisAnswer("Budget", "Yes, approved"),),
        "notes": (),
        "calls": ({"at": "2026-11-18T14:00:00+00:00", "by": "rep1", "outcome": "connected"},),
        "summary": "Rep One qualified\n this lead.",
    }
    values.update(changes)
    return HandoffRecord(**values)  # type: ignore[arg-type]


def test_answers_read_once_per_batch_give_the_same_lines_as_each_record_alone() -> None:
    records = [_record(1), _record(2, answer_labels=READ[1:]), _record(3, answer_labels=())]
    lines = render_jsonl(records, FACTS).splitlines(keepends=True)
    assert lines == [json_line(full_record(record, FACTS)) for record in records]
    second = json.loads(lines[1])
    assert second["answers_read"] == [
        {"question_id": "timeline", "question": READ[1][1], "answer": "Within 3 months"}
    ]
    assert second["qualification"]["summary"] == "Rep One qualified this lead."


def test_a_line_orjson_refuses_is_written_whole_with_its_answers_read() -> None:
    huge = 2**70  # an old import's number past 64 bits: json.dumps writes it
    records = [_record(1), _record(2, answers={"budget_amount": huge}), _record(3)]
    lines = render_jsonl(records, FACTS).splitlines(keepends=True)
    assert len(lines) == 3
    odd = json.loads(lines[1])
    assert odd["answers"] == {"budget_amount": huge}
    assert odd["answers_read"][0]["question"] == READ[0][1]
    assert lines[1] == json_line(full_record(records[1], FACTS))
