"""Questionnaire speed: saving one answer (a transaction), re-evaluating, recording a verdict.

Run: python tests/benchmarks/bench_qualification.py [--store PATH|URL] [--leads 200]

Builds a small store with ``leaddesk demo`` (or uses the one given), then for each of
``--leads`` open leads answers the BANT questions one at a time as a rep would, evaluates, and
records the verdict. Also times parsing a definition versus the cached parse every answer uses.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.definition import default_definition_path, parse_definition
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.domain import OPEN_STAGES, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Lead, User

ANCHOR = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
CALL = [
    {"contact_check": "yes"},
    {"inquiry_reason": "project"},
    {"pain_level": "major"},
    {"pain_example": "Missed two shipments last month"},
    {"decision_role": "decision_maker"},
    {"budget_status": "approved"},
    {"budget_amount": 60000},
    {"timeline": "3_months"},
    {"next_step_agreed": True},
]


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1] if len(samples) >= 20 else samples[-1]
    print(f"{name:<34} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="an existing demo store (default: build one)")
    parser.add_argument("--leads", type=int, default=200)
    args = parser.parse_args()
    location = args.store
    if location is None:
        from leaddesk.admin.demo import fill_demo

        location = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        store = open_store(location)
        fill_demo(store, leads=5_000, reps=2, seed=7, now=ANCHOR)
        store.close()
    store = open_store(location)
    with store.reading() as session:
        rep_id = session.scalar(select(User.id).where(User.name == "rep1"))
        lead_ids = list(
            session.scalars(
                select(Lead.id)
                .where(Lead.assigned_to_id == rep_id, Lead.stage.in_(OPEN_STAGES))
                .where(Lead.claimed_by_id.is_(None))
                .limit(args.leads)
            )
        )
        version_id = definition_versions.current_id(session)
        assert version_id is not None
        text = default_definition_path("bant").read_text(encoding="utf-8")
        parse = [timed(lambda: parse_definition(text, "bant.toml")) for _ in range(20)]
        cached = [
            timed(lambda: definition_versions.definition_for_version(session, version_id))
            for _ in range(200)
        ]
    store.close()
    answers: list[float] = []
    evaluations: list[float] = []
    verdicts: list[float] = []
    clock = FixedClock(ANCHOR)
    with open_desk(location, "rep1", clock=clock) as desk:
        for lead_id in lead_ids:
            for batch in CALL:
                answers.append(timed(lambda: desk.qualifying.answer(lead_id, batch)))  # noqa: B023
            evaluations.append(timed(lambda: desk.qualifying.evaluate(lead_id)))  # noqa: B023
            suggested = desk.qualifying.evaluate(lead_id).suggestion.verdict
            verdicts.append(
                timed(
                    lambda: desk.qualifying.give_verdict(
                        lead_id,  # noqa: B023
                        Verdict.HAND_OFF,
                        None if suggested is Verdict.HAND_OFF else "benchmark",  # noqa: B023
                    )
                )
            )
    print(f"store: {location} ({len(lead_ids)} leads qualified, {len(answers)} answers saved)")
    report("parse BANT definition", parse)
    report("definition of a version (cached)", cached)
    report("save one answer + re-evaluate", answers)
    report("evaluate a lead", evaluations)
    report("record a verdict", verdicts)


if __name__ == "__main__":
    main()
