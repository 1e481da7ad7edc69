"""A hand-off reads answers' JSON and calls' times from the stored text without the column
types' round trips (issue #24), and reads them exactly as those types did."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from leaddesk.handoff.record_rows import call_time, json_value


@pytest.mark.parametrize(
    "text",
    [
        '{"budget": {"amount": 50000, "currency": "EUR"}, "ok": true, "n": null}',
        '{"id": 123456789012345678901234567890}',  # past 64 bits: kept an integer
        '{"id": 9223372036854775807, "low": -9223372036854775809}',
        '{"ids": [1234567890123456789, 12345678901234567890], "f": 0.12345678901234567890}',
        '{"x": NaN, "y": 1.5e-7}',
        '["\\ud800", "Zoë"]',  # a lone surrogate
        '{"a": 1, "a": 2}',
    ],
)
def test_a_json_column_reads_as_json_loads_reads_it(text: str) -> None:
    found, expected = json_value(text), json.loads(text)
    assert repr(found) == repr(expected)


def test_an_empty_json_column_reads_as_none() -> None:
    assert json_value(None) is None


@pytest.mark.parametrize(
    "stored",
    [
        "2026-11-02 05:08:36.027627",
        "2026-11-02 05:08:36.000000",
        "2026-11-02 05:08:36",
        "2026-11-02T05:08:36.5+00:00",
        "2026-11-02 07:08:36+02:00",
    ],
)
def test_a_stored_time_reads_as_its_utc_isoformat(stored: str) -> None:
    moment = datetime.fromisoformat(stored)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    assert call_time(stored) == moment.astimezone(UTC).isoformat()
    assert call_time(moment) == moment.astimezone(UTC).isoformat()
