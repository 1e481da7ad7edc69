"""``leaddesk definition …`` and ``leaddesk qualify`` as a script sees them, on SQLite and
PostgreSQL (run in this process; tests/end2end starts the real command)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qualification_scenarios import (
    OPENING,
    add_lead,
    broken_bant,
    reworded_bant,
    sales_worthy,
    set_up_team,
    template_text,
)

from leaddesk.clock import FixedClock
from leaddesk.definition import TEMPLATES, default_definition_path
from leaddesk.desk import open_desk
from leaddesk.domain import Stage
from tests.cli_in_process import RunCli
from tests.one_store import sqlite_only


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_published_then_a_sales_worthy_lead_is_handed_off(
    team: str, clock: FixedClock, tmp_path: Path, template: str, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    published = run_cli(
        "definition",
        "publish",
        str(default_definition_path(template)),
        "--as",
        "lead1",
        "--json",
        db=team,
    )
    assert published.returncode == 0, published.stderr
    version = json.loads(published.stdout)["version"]
    assert version == (1 if template == "bant" else 2)
    answers = _write(tmp_path / "answers.json", sales_worthy(template))
    result = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        answers,
        "--verdict",
        "hand_off",
        "--json",
        db=team,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["suggestion"]["verdict"] == "hand_off"
    assert out["suggestion"]["lead_type"] == "sales_worthy"
    assert out["fired"][-1].endswith("→ Sales-worthy")
    assert out["verdict"]["verdict"] == "hand_off"
    assert out["verdict"]["definition_version"] == version
    assert out["verdict"]["overridden"] is False
    with open_desk(team, "rep1", clock=clock) as desk:
        assert desk.qualifying.evaluate(lead_id).stage is Stage.QUALIFIED


def test_suggestion_and_fired_rules_in_plain_words_across_two_calls(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    first = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        _write(tmp_path / "call1.json", OPENING),
        db=team,
    )
    assert first.returncode == 0, first.stderr
    assert "Suggestion: nurture" in first.stdout
    assert "Still to ask:" in first.stdout and "pain_level:" in first.stdout
    second = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        _write(tmp_path / "call2.json", sales_worthy("bant")),
        db=team,
    )
    assert second.returncode == 0, second.stderr
    assert "Suggestion: hand off — Sales-worthy: Meets BANT and agreed to talk to sales" in (
        second.stdout
    )
    assert "Answered 7 of 7 required questions (100%)" in second.stdout
    assert "→ Sales-worthy" in second.stdout.split("Why:")[1]


def test_knock_out_then_disqualify_verdict(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    answers = _write(tmp_path / "a.json", {**OPENING, "contact_check": "invalid"})
    result = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        answers,
        "--verdict",
        "disqualify",
        db=team,
    )
    assert result.returncode == 0, result.stderr
    assert "Knock-out: Contact details are wrong or made up → Dubious" in result.stdout
    assert "Verdict recorded: disqualify → Disqualified" in result.stdout


def test_override_is_refused_without_a_reason_and_recorded_with_one(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    answers = _write(tmp_path / "a.json", sales_worthy("bant"))
    refused = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        answers,
        "--verdict",
        "nurture",
        db=team,
    )
    assert refused.returncode == 2
    assert "give a reason" in _one_line(refused.stderr)
    accepted = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--verdict",
        "nurture",
        "--reason",
        "Budget frozen until March",
        "--json",
        db=team,
    )
    assert accepted.returncode == 0, accepted.stderr
    verdict = json.loads(accepted.stdout)["verdict"]
    assert (verdict["overridden"], verdict["override_reason"]) == (
        True,
        "Budget frozen until March",
    )
    assert verdict["suggested_verdict"] == "hand_off"


def test_verdict_on_a_closed_lead_exits_4(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    answers = _write(tmp_path / "a.json", {**OPENING, "contact_check": "invalid"})
    args = ["qualify", str(lead_id), "--as", "rep1", "--verdict", "disqualify"]
    assert run_cli(*args, "--answers", answers, db=team).returncode == 0
    again = run_cli(*args, db=team)
    assert again.returncode == 4
    assert f"Lead {lead_id} is already closed (disqualified)" in _one_line(again.stderr)


# The file is read and checked against the definition before anything is saved.
@sqlite_only
@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"budjet": "approved"}, "budjet: no such question"),
        ({"timeline": 3}, "timeline: pick one of: 3_months"),
        ({"next_step_agreed": "perhaps"}, "next_step_agreed: answer yes or no"),
        ("not json {", "not valid JSON (line 1"),
        (["contact_check"], "must be a JSON object"),
    ],
)
def test_bad_answers_file_exits_2_naming_the_file_and_question(
    team: str, clock: FixedClock, tmp_path: Path, content: object, says: str, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    path = tmp_path / "answers.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        _write(path, content)
    result = run_cli("qualify", str(lead_id), "--as", "rep1", "--answers", str(path), db=team)
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert str(path) in line and says in line
    with open_desk(team, "rep1", clock=clock) as desk:
        assert desk.qualifying.evaluate(lead_id).answers == {}


def test_missing_answers_file_and_unknown_lead_exit_2(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    missing = tmp_path / "nowhere.json"
    result = run_cli("qualify", str(lead_id), "--as", "rep1", "--answers", str(missing), db=team)
    assert result.returncode == 2
    assert f"{missing}: no such file" in _one_line(result.stderr)
    unknown = run_cli("qualify", "99999", "--as", "rep1", db=team)
    assert unknown.returncode == 2
    assert "No lead with id 99999" in _one_line(unknown.stderr)


def test_sales_cannot_qualify_exit_3(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock, assigned_to=None)
    answers = _write(tmp_path / "a.json", OPENING)
    result = run_cli("qualify", str(lead_id), "--as", "sales1", "--answers", answers, db=team)
    assert result.returncode == 3
    assert "cannot qualify leads" in _one_line(result.stderr)


def test_publish_is_refused_for_a_qualifier_and_for_a_broken_file(
    team: str, tmp_path: Path, run_cli: RunCli
) -> None:
    champ = str(default_definition_path("champ"))
    by_rep = run_cli("definition", "publish", champ, "--as", "rep1", db=team)
    assert by_rep.returncode == 3
    assert "cannot publish the lead definition" in _one_line(by_rep.stderr)
    text, line = broken_bant()
    broken = tmp_path / "team-bant.toml"
    broken.write_text(text, encoding="utf-8")
    refused = run_cli("definition", "publish", str(broken), "--as", "lead1", db=team)
    assert refused.returncode == 2
    assert f"{broken}:{line}: rules[" in refused.stderr and "pain_levle" in refused.stderr
    assert "Nothing was published." in refused.stderr
    shown = run_cli("definition", "show", "--as", "rep1", "--json", db=team)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["version"] == 1


def test_validate_exits_0_for_each_template_and_2_with_the_line_for_a_broken_one(
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    for template in TEMPLATES:
        path = default_definition_path(template)
        result = run_cli("definition", "validate", str(path), db=tmp_path / "unused.sqlite3")
        assert result.returncode == 0, result.stderr
        assert f"{path}: valid" in result.stdout
    text, line = broken_bant()
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    result = run_cli("definition", "validate", str(broken), "--json", db=tmp_path / "x.sqlite3")
    assert result.returncode == 2
    assert f"{broken}:{line}: rules[" in result.stderr
    problem = json.loads(result.stdout)["problems"][0]
    assert (problem["line"], "pain_levle" in problem["message"]) == (line, True)
    typo = tmp_path / "typo.toml"
    typo.write_text(template_text("bant").replace('name = "BANT (default)"', "name = ", 1))
    syntax = run_cli("definition", "validate", str(typo), db=tmp_path / "x.sqlite3")
    assert syntax.returncode == 2
    assert f"{typo}:8:" in syntax.stderr
    assert not (tmp_path / "unused.sqlite3").exists()  # validating needs no store


def test_version_1_still_shows_its_wording_after_version_2(
    team: str, tmp_path: Path, run_cli: RunCli
) -> None:
    v2 = tmp_path / "bant-v2.toml"
    v2.write_text(reworded_bant(), encoding="utf-8")
    diff = run_cli("definition", "diff", str(v2), "--as", "lead1", db=team)
    assert diff.returncode == 0, diff.stderr
    assert "Against version 1" in diff.stdout
    assert "What does this problem cost you each month?" in diff.stdout
    assert run_cli("definition", "publish", str(v2), "--as", "lead1", db=team).returncode == 0
    old = run_cli("definition", "show", "--version", "1", "--as", "rep1", db=team)
    new = run_cli("definition", "show", "--as", "rep1", "--json", db=team)
    assert old.returncode == new.returncode == 0
    assert "How much is this problem costing you right now?" in old.stdout
    assert "Version 1: BANT (default)" in old.stdout
    shown = json.loads(new.stdout)
    questions = [q for s in shown["definition"]["sections"] for q in s["questions"]]
    pain = next(q for q in questions if q["id"] == "pain_level")
    assert (shown["version"], pain["text"]) == (2, "What does this problem cost you each month?")
    same = run_cli("definition", "diff", str(v2), "--as", "lead1", db=team)
    assert "No differences a rep would notice from version 2." in same.stdout


def test_a_verdict_given_by_mistake_is_undone_once(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    answers = _write(tmp_path / "a.json", {**OPENING, "contact_check": "invalid"})
    given = run_cli(
        *("qualify", str(lead_id), "--as", "rep1", "--answers", answers),
        *("--verdict", "disqualify"),
        db=team,
    )
    assert given.returncode == 0, given.stderr
    hint = given.stdout.strip().splitlines()[-1]
    assert hint.startswith("Wrong verdict? leaddesk undo-verdict ")
    verdict_id = hint.split()[4]
    colleague = run_cli("undo-verdict", verdict_id, "--as", "rep2", db=team)
    assert colleague.returncode == 3 and "given by a colleague" in _one_line(colleague.stderr)
    undone = run_cli("undo-verdict", verdict_id, "--as", "rep1", "--json", db=team)
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["stage"] == "in_qualification"
    again = run_cli("undo-verdict", verdict_id, "--as", "rep1", db=team)
    assert again.returncode == 2
    assert _one_line(again.stderr) == f"leaddesk: No verdict {verdict_id}."
