"""Before publishing, a team lead sees in plain words what a new version changes."""

from __future__ import annotations

from leaddesk.definition import (
    default_definition_path,
    definition_digest,
    diff_definitions,
    load_definition,
    parse_definition,
)

BANT_TEXT = default_definition_path("bant").read_text(encoding="utf-8")
BANT = parse_definition(BANT_TEXT, "bant.toml")


def edited(old: str, new: str) -> list[str]:
    assert old in BANT_TEXT, old
    return diff_definitions(BANT, parse_definition(BANT_TEXT.replace(old, new, 1), "new.toml"))


def test_same_definition_has_no_differences() -> None:
    assert diff_definitions(BANT, load_definition(default_definition_path("bant"))) == []


def test_reworded_question() -> None:
    assert edited(
        'text = "How do you handle this today?"', 'text = "How does your team do this today?"'
    ) == [
        'Question current_process reworded: "How do you handle this today?"'
        ' → "How does your team do this today?"'
    ]


def test_added_and_removed_questions_and_options() -> None:
    changes = edited('id = "current_process"', 'id = "today"')
    assert changes[0].startswith('Question added: today — "How do you handle this today?"')
    assert 'Question removed: current_process — "How do you handle this today?"' in changes
    changes = edited(
        '{ value = "none", label = "No timeline", points = 0 },',
        '{ value = "none", label = "No timeline", points = 0 },\n'
        '  { value = "unsure", label = "Not sure" },',
    )
    assert changes == ['Question timeline option added: unsure ("Not sure")']


def test_changed_rule_and_stage_label() -> None:
    changes = edited("recycle_days = 180\n", "recycle_days = 365\n")
    assert changes == ['Rule changed: "No pain and no timeline"']
    changes = edited('label = "Sales-qualified (SQL)"', 'label = "Hot lead"')
    assert changes == ['Stage \'qualified\' label: "Sales-qualified (SQL)" → "Hot lead"']


def test_policy_changes_are_listed_with_old_and_new_values() -> None:
    changes = edited("speed_to_lead_hours = 2 ", "speed_to_lead_hours = 1 ")
    assert changes == ["Policy speed_to_lead_hours: 2.0 → 1.0"]
    changes = edited("no_answer = 180", "no_answer = 120")
    assert changes == ["Policy cadence.retry_minutes.no_answer: 180 → 120"]


def test_threshold_change_is_listed() -> None:
    assert edited("good_fit = 50 ", "good_fit = 55 ") == [
        "Scoring thresholds.good_fit: 50.0 → 55.0"
    ]


def test_digest_changes_with_any_edit() -> None:
    assert definition_digest(BANT_TEXT) == BANT.digest
    assert definition_digest(BANT_TEXT + "\n") != BANT.digest
