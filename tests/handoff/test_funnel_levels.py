"""The definition owns the funnel (issue #19 item 7): its temperature levels and words are
what the hand-off's CSV Rating, the JSON Lines record and the CRM fields say."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from handoff_helpers import Team

from leaddesk.definition import default_definition_path

# The helpers' qualified lead has fit 72 and interest 80: hot by the shipped levels.
SHIPPED_LEVELS = 'hot = 70\nwarm = 40\nhot_label = "Hot"\nwarm_label = "Warm"\ncold_label = "Cold"'
WARMER_BAR = 'hot = 85\nwarm = 60\nhot_label = "Hot"\nwarm_label = "Lukewarm"\ncold_label = "Raw"'


def publish(team: Team, replace_from: str, replace_with: str) -> None:
    text = default_definition_path().read_text(encoding="utf-8")
    assert replace_from in text
    with team.desk("lead1") as desk:
        desk.qualifying.publish_definition(
            text.replace(replace_from, replace_with, 1), "team.toml", note="our funnel"
        )


def exported_ratings(team: Team, out_dir: Path) -> tuple[list[str], list[str]]:
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    table = (batch.folder / f"{batch.code}.csv").read_text(encoding="utf-8-sig")
    lines = (batch.folder / f"{batch.code}.jsonl").read_text(encoding="utf-8").splitlines()
    return (
        [row["Rating"] for row in csv.DictReader(io.StringIO(table))],
        [json.loads(line)["scores"]["rating"] for line in lines],
    )


def test_shipped_levels_rate_a_72_80_lead_hot(team: Team, out_dir: Path) -> None:
    assert exported_ratings(team, out_dir) == (["Hot"], ["Hot"])


def test_the_teams_levels_and_words_rate_the_handoff(team: Team, out_dir: Path) -> None:
    publish(team, SHIPPED_LEVELS, WARMER_BAR)
    assert exported_ratings(team, out_dir) == (["Lukewarm"], ["Lukewarm"])
