"""The queue's band order and its fit/interest weights come from the published policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import Team, add_lead

from leaddesk.definition import DefinitionError, parse_definition
from leaddesk.domain import Stage
from leaddesk.files.resources import resource_path

BANT = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")


def _with_queue_policy(table: str) -> str:
    return BANT + "\n[policy.queue]\n" + table + "\n"


def _publish(team: Team, text: str) -> None:
    with team.desk("lead1") as desk:
        desk.qualifying.publish_definition(text, "team.toml")


def test_a_team_can_put_fresh_inquiries_before_callbacks(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        fresh = add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=18)).id
        callback = add_lead(s, now=now, owner=rep, stage=Stage.IN_QUALIFICATION, callback_at=now).id
    with team.desk("rep1") as desk:
        assert [r.lead_id for r in desk.queue.page()] == [callback, fresh]
    _publish(team, _with_queue_policy('bands = ["new", "callback", "retry", "other"]'))
    with team.desk("rep1") as desk:
        assert [r.lead_id for r in desk.queue.page()] == [fresh, callback]


def test_weights_decide_between_a_good_fit_and_a_keen_contact(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        good_fit = add_lead(
            s, now=now, owner=rep, stage=Stage.IN_QUALIFICATION, fit=90, interest=20
        ).id
        keen = add_lead(s, now=now, owner=rep, stage=Stage.IN_QUALIFICATION, fit=30, interest=95).id
    _publish(team, _with_queue_policy("fit_weight = 3\ninterest_weight = 1"))
    with team.desk("rep1") as desk:
        rows = desk.queue.page()
    assert [r.lead_id for r in rows] == [good_fit, keen]
    assert rows[0].score == round((3 * 90 + 20) / 4)
    _publish(team, _with_queue_policy("fit_weight = 1\ninterest_weight = 3"))
    with team.desk("rep1") as desk:
        assert [r.lead_id for r in desk.queue.page()] == [keen, good_fit]


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('bands = ["new", "callback"]', "list each queue band once"),
        ('bands = ["new", "new", "retry", "other"]', "list each queue band once"),
        ("fit_weight = 0\ninterest_weight = 0", "cannot both be 0"),
    ],
)
def test_a_broken_queue_policy_is_refused_with_its_line(table: str, says: str) -> None:
    with pytest.raises(DefinitionError, match=says) as caught:
        parse_definition(_with_queue_policy(table), "team.toml")
    assert "team.toml:" in str(caught.value) and "policy.queue" in str(caught.value)
