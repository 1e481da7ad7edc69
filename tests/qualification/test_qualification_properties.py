"""Whatever a rep saves, the store keeps it as given and the lead always has one suggestion."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qualification_scenarios import add_lead, set_up_team

from leaddesk.clock import FixedClock
from leaddesk.definition import (
    Question,
    QuestionType,
    check_answers,
    default_definition_path,
    load_definition,
)
from leaddesk.desk import open_desk
from leaddesk.domain import LeadType, Verdict
from leaddesk.errors import InputError

BANT = load_definition(default_definition_path("bant"))
NOON = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def answer_values(question: Question) -> st.SearchStrategy[object]:
    values = [option.value for option in question.options]
    numbers = st.integers(-1_000_000, 10_000_000) | st.floats(-1e9, 1e9, allow_nan=False)
    by_type: dict[QuestionType, st.SearchStrategy[object]] = {
        QuestionType.SINGLE_CHOICE: st.sampled_from(values) if values else st.nothing(),
        QuestionType.MULTIPLE_CHOICE: st.lists(st.sampled_from(values), unique=True)
        if values
        else st.nothing(),
        QuestionType.YES_NO: st.booleans() | st.sampled_from(["yes", "no"]),
        QuestionType.NUMBER: numbers,
        QuestionType.MONEY: numbers,
        QuestionType.DATE: st.dates(date(1990, 1, 1), date(2100, 1, 1)).map(date.isoformat),
        QuestionType.TEXT: st.text(max_size=40),
    }
    # Now and then a value of the wrong kind, as a script or a bad import might send.
    return by_type[question.type] | st.none() | st.sampled_from([7, "maybe", [1]])


answer_sets = st.lists(st.sampled_from(BANT.questions), unique_by=lambda q: q.id).flatmap(
    lambda questions: st.fixed_dictionaries({q.id: answer_values(q) for q in questions})
)


@pytest.fixture(scope="module")
def shared_team(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One store for every example; each example qualifies a fresh lead in it."""
    location = tmp_path_factory.mktemp("properties") / "store.sqlite3"
    shutil.copyfile(sqlite_template, location)
    set_up_team(str(location), FixedClock(NOON))
    return str(location)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(answer_sets, min_size=1, max_size=3))
def test_saved_answers_round_trip_and_one_suggestion_always_follows(
    shared_team: str, batches: list[dict[str, object]]
) -> None:
    clock = FixedClock(NOON)
    location = shared_team
    lead_id = add_lead(location, clock)
    expected: dict[str, object] = {}
    with open_desk(location, "rep1", clock=clock) as desk:
        for batch in batches:
            try:
                normal = check_answers(BANT, batch)
            except InputError:
                with pytest.raises(InputError):
                    desk.qualifying.answer(lead_id, batch)
                continue
            state = desk.qualifying.answer(lead_id, batch)
            for question_id in batch:
                expected.pop(question_id, None)
            expected.update(normal)
            assert state.answers == expected
        state = desk.qualifying.evaluate(lead_id)
    assert state.answers == expected
    assert isinstance(state.suggestion.verdict, Verdict)
    assert isinstance(state.suggestion.lead_type, LeadType)
    assert 0.0 <= state.completeness <= 1.0
    assert state.fired
