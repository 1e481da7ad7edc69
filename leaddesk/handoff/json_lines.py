"""The hand-off's JSON Lines: each lead's full record, one compact JSON object a line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from leaddesk.handoff import marketing_qualified
from leaddesk.handoff.one_line import OneLine
from leaddesk.handoff.records import HandoffRecord
from leaddesk.handoff.render import STATUS, BatchFacts, rating, utc_text


def meeting_record(record: HandoffRecord) -> dict[str, Any] | None:
    meeting = record.meeting
    if meeting is None:
        return None
    return {
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "start_utc": utc_text(meeting.starts_at),
        "end_utc": utc_text(meeting.ends_at),
        "prospect_time": meeting.local().isoformat(),
        "prospect_zone": meeting.prospect_zone,
        "salesperson": meeting.salesperson,
        "salesperson_name": meeting.salesperson_name,
        "salesperson_time": meeting.local(meeting.salesperson_zone).isoformat(),
        "booked_by": meeting.booked_by,
        "decision_maker": meeting.decision_maker,
        "others_involved": list(meeting.others),
    }


class AnswersRead(dict[tuple[str, str, str], orjson.Fragment]):
    """Each answer as read (question id, question, answer text) written as JSON once per
    batch: the questions' texts and most answers repeat from lead to lead (issue #24)."""

    def __missing__(self, item: tuple[str, str, str]) -> orjson.Fragment:
        qid, text, answer = item
        found = self[item] = orjson.Fragment(
            orjson.dumps(
                {"question_id": qid, "question": text, "answer": answer},
                option=orjson.OPT_SORT_KEYS,
            )
        )
        return found


def full_record(
    record: HandoffRecord,
    facts: BatchFacts,
    lines: OneLine | None = None,
    answers_read: AnswersRead | None = None,
) -> dict[str, Any]:
    """The record as its JSON line holds it. With ``answers_read`` the answers as read are
    orjson fragments (only orjson writes them)."""
    lines = OneLine() if lines is None else lines
    calls = record.calls
    return {
        "lead_id": record.lead_id,
        "batch": facts.code,
        "status": STATUS,
        "person": {
            "first_name": record.first_name,
            "last_name": record.last_name,
            "title": record.title,
            "email": record.email,
            "phone": record.phone,
            "country": record.country,
            "city": record.city,
            "timezone": record.timezone,
        },
        "company": {
            "name": record.company,
            "domain": record.domain,
            "industry": record.industry,
            "employees": record.employees,
            "existing_customer": record.existing_customer,
        },
        "source": {
            "source": record.source,
            "campaign": record.campaign,
            "inquiry": record.inquiry,
            "arrived_at": utc_text(record.arrived_at),
        },
        "qualification": {
            "qualified_by": record.qualified_by,
            "qualified_at": utc_text(record.qualified_at),
            "definition_version": record.definition_version,
            "stage": record.stage_label,
            "lead_type": record.lead_type.value if record.lead_type else None,
            "lead_type_label": record.lead_type_label,
            "reason": record.verdict_reason,
            "overridden": record.overridden,
            "override_reason": record.override_reason,
            "fired_rules": list(record.fired_rules),
            "summary": lines[record.summary],
            "marketing_qualified": marketing_qualified.as_record(record),
        },
        "scores": {
            "fit": record.fit_score,
            "interest": record.interest_score,
            "framework": record.framework_score,
            "rating": rating(record),
        },
        "answers": record.answers,
        "answers_read": (
            [
                {"question_id": qid, "question": text, "answer": answer}
                for qid, text, answer in record.answer_labels
            ]
            if answers_read is None
            else [answers_read[item] for item in record.answer_labels]
        ),
        "framework": {axis.label: axis.text for axis in record.axes},
        "notes": list(record.notes),
        "meeting": meeting_record(record),
        "calls": {
            "count": len(calls),
            "connected": [call["outcome"] for call in calls].count("connected"),
            "first_at": calls[0]["at"] if calls else None,
            "last_at": calls[-1]["at"] if calls else None,
            "history": list(calls),
        },
    }


def render_jsonl(
    records: Sequence[HandoffRecord], facts: BatchFacts, lines: OneLine | None = None
) -> bytes:
    """One compact JSON object a line, keys sorted, UTF-8 (not \\u escapes)."""
    lines = OneLine() if lines is None else lines
    answers_read = AnswersRead()
    written: list[bytes] = []
    for record in records:
        try:
            line = orjson.dumps(
                full_record(record, facts, lines, answers_read),
                default=str,
                option=_ORJSON_OPTIONS,
            )
        except orjson.JSONEncodeError:  # json.dumps writes it, from plain values
            line = json_line(full_record(record, facts, lines))
        written.append(line)
    return b"".join(written)


# orjson writes what json.dumps(…, ensure_ascii=False, sort_keys=True, default=str,
# separators=(",", ":")) writes, ten times faster; datetimes and dataclasses go to ``str`` as
# json.dumps sends them. What orjson refuses (an integer past 64 bits, a key that is not
# text, in answers from an old import) is written by json.dumps.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
_JSON_LINE = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":")
)


def json_line(value: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return (_JSON_LINE.encode(value) + "\n").encode("utf-8")
