"""The huddle pack (issue #19 item 4) against a small store written by hand: its CSVs hold the
figures worked out here from the same hand-written facts, and its page has every section, with
the store's text escaped.

The team's days are New York days: the period 2026-11-16 to 2026-11-18 starts at 05:00 UTC on
the 16th. The clock is 2026-11-18 15:00 UTC.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.domain import LeadType, Role, SalesDecision, Stage, Verdict
from leaddesk.store.models import (
    DefinitionVersion,
    HandoffBatch,
    Lead,
    SalesFeedback,
    VerdictRecord,
)
from tests.factories import Team
from tests.one_store import sqlite_only

SINCE = date(2026, 11, 16)
SHOUTY = '<b>Rita & "Co"</b>'  # a rep's display name the page must not read as markup
COMMENT = '<script>alert("x")</script> & call again in Q3'
OVERRIDE_REASON = "Budget confirmed by email <after the call>"
SOURCE = "expo & <fair>"


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Answered:
    """One of sales' answers as this test wrote it: what the pack should count."""

    lead: int
    source: str
    rep: str
    version: str
    accepted: bool
    reason: str = ""  # the reason's label
    comment: str = ""
    rules: tuple[str, ...] = ()


@dataclass
class HandBuilt:
    team: Team
    answered: list[Answered]  # in the period
    answered_at: dict[int, datetime]
    waiting: dict[int, datetime]  # unanswered hand-offs: lead -> handed off at
    late: set[int]
    overridden: list[int]  # leads whose verdict in the period was an override


@pytest.fixture
def store(team: Team) -> HandBuilt:
    return build_store(team)


def build_store(team: Team) -> HandBuilt:
    team.user("rita", display_name=SHOUTY)
    team.user("sales1", Role.SALES, display_name="Sam Sales")
    ids = team.ids
    with team.store.transaction() as session:
        v1 = session.scalars(select(DefinitionVersion)).one()
        v2 = DefinitionVersion(
            version=2,
            name=v1.name,
            framework=v1.framework,
            source_text=v1.source_text,
            digest="0" * 64,
            published_at=t(15, 12),
        )
        session.add(v2)
        session.flush()
        versions = {"v1": v1.id, "v2": v2.id}
        batch = HandoffBatch(code="b1", created_by_id=ids["rep1"], created_at=t(14, 15))
        session.add(batch)
        session.flush()
        batch_id = batch.id
    answered: list[Answered] = []
    answered_at: dict[int, datetime] = {}
    waiting: dict[int, datetime] = {}

    def handed(
        rep: str,
        source: str,
        version: str,
        at: datetime,
        rules: tuple[str, ...] = (),
        *,
        stage: Stage = Stage.HANDED_OFF,
        batch: int | None = batch_id,
        **verdict: object,
    ) -> int:
        lead_id = team.lead(rep, hours_ago=200, source=source, stage=stage)
        with team.store.transaction() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.handoff_batch_id = batch
            lead.lead_type = LeadType.SALES_WORTHY
            session.add(
                VerdictRecord(
                    lead_id=lead_id,
                    verdict=Verdict.HAND_OFF,
                    lead_type=LeadType.SALES_WORTHY,
                    definition_version_id=versions[version],
                    fired_rules=list(rules),
                    decided_by_id=ids[rep],
                    decided_at=at,
                    **verdict,
                )
            )
        return lead_id

    def answer(
        lead_id: int,
        at: datetime,
        reason: str | None = None,
        comment: str | None = None,
        route: str | None = None,
    ) -> None:
        answered_at[lead_id] = at
        with team.store.transaction() as session:
            answered = session.get(Lead, lead_id)
            assert answered is not None
            session.add(
                SalesFeedback(
                    lead_id=lead_id,
                    batch_id=answered.handoff_batch_id,  # the hand-off it answers
                    decision=SalesDecision.REJECTED if reason else SalesDecision.ACCEPTED,
                    reason=reason,
                    detail=comment,
                    route=route,
                    recorded_by_id=ids["sales1"],
                    recorded_at=at,
                )
            )
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.stage = Stage.REJECTED if reason else Stage.ACCEPTED

    fit = "Fit and interest both high → Sales-worthy"
    knockout = "Knock-out: no budget → Unworthy"
    timing = "Timeline within 6 months → Sales-worthy"

    a = handed("rep1", "web_form", "v1", t(15, 14), (fit,))
    answer(a, t(16, 9))
    answered.append(Answered(a, "web_form", "rep1", "v1", True, rules=(fit,)))

    b = handed("rita", "web_form", "v1", t(15, 15), (fit, knockout))
    answer(b, t(16, 10), "no_budget", COMMENT, "nurture")
    answered.append(
        Answered(b, "web_form", SHOUTY, "v1", False, "No budget", COMMENT, (fit, knockout))
    )

    c = handed(
        "rep1",
        SOURCE,
        "v2",
        t(16, 16),
        (timing,),
        overridden=True,
        suggested_verdict=Verdict.NURTURE,
        suggested_lead_type=LeadType.UNQUALIFIED_INTEREST,
        override_reason=OVERRIDE_REASON,
    )
    answer(c, t(17, 11), "wrong_person", None, "rep")
    answered.append(Answered(c, SOURCE, "rep1", "v2", False, "Wrong person", rules=(timing,)))

    d = handed("rita", SOURCE, "v2", t(16, 17), (timing, fit))
    answer(d, t(17, 12), "no_budget")
    answered.append(Answered(d, SOURCE, SHOUTY, "v2", False, "No budget", rules=(timing, fit)))

    e = handed("rep2", "webinar", "v2", t(16, 18), (timing,))
    answer(e, t(18, 13))
    answered.append(Answered(e, "webinar", "rep2", "v2", True, rules=(timing,)))

    # Answered before the period: in no figure of it.
    old = handed("rep2", "webinar", "v1", t(10, 12), (knockout,))
    answer(old, t(16, 4))  # 23:00 on the 15th in New York

    # Handed off by rep1, sent back to the rep by sales; rep2 (now its owner) disqualified it
    # after the answer: the answer still counts for rep1's hand-off.
    f = handed("rep1", "webinar", "v1", t(16, 8), (knockout,))
    answer(f, t(16, 20), "not_decision_maker", "ask for the CFO", "rep")
    with team.store.transaction() as session:
        session.add(
            VerdictRecord(
                lead_id=f,
                verdict=Verdict.DISQUALIFY,
                definition_version_id=versions["v2"],
                decided_by_id=ids["rep2"],
                decided_at=t(17, 9),
            )
        )
    answered.append(
        Answered(
            f,
            "webinar",
            "rep1",
            "v1",
            False,
            "Not the decision maker",
            "ask for the CFO",
            (knockout,),
        )
    )

    # Waiting for sales: one in a batch since the 10th, one qualified (not exported yet) and
    # past sales' due time, both without an answer.
    g = handed("rep2", "web_form", "v1", t(10, 15))
    waiting[g] = t(10, 15)
    h = handed(
        "rita",
        "webinar",
        "v2",
        t(17, 14),
        stage=Stage.QUALIFIED,
        batch=None,
        salesperson_id=ids["sales1"],
    )
    with team.store.transaction() as session:
        lead = session.get(Lead, h)
        assert lead is not None
        lead.sales_owner_id = ids["sales1"]
        lead.sales_due_at = t(18, 9)
    waiting[h] = t(17, 14)

    # An override before the period: not in the pack's list of overrides; sales has not
    # answered it either.
    i = handed("rep2", "web_form", "v1", t(12, 10), overridden=True, override_reason="old")
    waiting[i] = t(12, 10)
    return HandBuilt(team, answered, answered_at, waiting, {h}, [c])


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def expected_acceptance(answered: list[Answered], key: str) -> dict[str, tuple[int, int, int]]:
    tally: dict[str, Counter[bool]] = defaultdict(Counter)
    for item in answered:
        tally[getattr(item, key)][item.accepted] += 1
    return {group: (c[True] + c[False], c[True], c[False]) for group, c in tally.items()}


def make_pack(store: HandBuilt, out: Path, name: str = "lead1") -> Path:
    with store.team.desk(name) as desk:
        return desk.team.huddle_pack(since=SINCE, out=out).folder


def test_acceptance_csvs_match_the_answers_written_by_hand(
    store: HandBuilt, tmp_path: Path
) -> None:
    folder = make_pack(store, tmp_path / "packs")
    assert folder == tmp_path / "packs" / "huddle-2026-11-16-to-2026-11-18"
    for key, file, column in (
        ("version", "acceptance_by_version.csv", "definition version"),
        ("source", "acceptance_by_source.csv", "source"),
        ("rep", "acceptance_by_rep.csv", "rep"),
    ):
        rows = read_csv(folder / file)
        found = {
            row[column]: (int(row["answered"]), int(row["accepted"]), int(row["rejected"]))
            for row in rows
        }
        assert found == expected_acceptance(store.answered, key), file
        for row in rows:
            answered, accepted = int(row["answered"]), int(row["accepted"])
            assert float(row["% accepted"]) == round(100 * accepted / answered, 1)


def test_every_rejection_is_listed_with_sales_reason_and_comment(
    store: HandBuilt, tmp_path: Path
) -> None:
    folder = make_pack(store, tmp_path / "packs")
    rejected = sorted(
        (item for item in store.answered if not item.accepted),
        key=lambda item: store.answered_at[item.lead],
    )
    rows = read_csv(folder / "rejections.csv")
    assert [int(row["lead"]) for row in rows] == [item.lead for item in rejected]
    for row, item in zip(rows, rejected, strict=True):
        assert (row["reason"], row["sales' comment"], row["rep"]) == (
            item.reason,
            item.comment,
            item.rep,
        )
        assert row["rejected by"] == "Sam Sales"
    went = {int(row["lead"]): row["went"] for row in rows}
    assert went[rejected[0].lead] == "back to nurture"
    reasons = {
        row["reason"]: int(row["rejections"]) for row in read_csv(folder / "rejection_reasons.csv")
    }
    assert reasons == dict(Counter(item.reason for item in rejected))


def test_unanswered_hand_offs_say_how_long_they_waited(store: HandBuilt, tmp_path: Path) -> None:
    folder = make_pack(store, tmp_path / "packs")
    now = store.team.clock()
    rows = read_csv(folder / "unanswered.csv")
    assert [int(row["lead"]) for row in rows] == sorted(store.waiting, key=store.waiting.get)
    for row in rows:
        since = store.waiting[int(row["lead"])]
        assert float(row["days waiting"]) == round((now - since) / timedelta(days=1), 1)
        assert (row["late"] == "yes") == (int(row["lead"]) in store.late)
    by_lead = {int(row["lead"]): row for row in rows}
    (qualified,) = store.late
    assert by_lead[qualified]["batch"] == "not in a batch yet"
    assert by_lead[qualified]["salesperson"] == "Sam Sales"
    assert {by_lead[lead]["batch"] for lead in store.waiting if lead != qualified} == {"b1"}


def test_overrides_show_suggested_beside_chosen_with_the_reps_reason(
    store: HandBuilt, tmp_path: Path
) -> None:
    folder = make_pack(store, tmp_path / "packs")
    rows = read_csv(folder / "overrides.csv")
    assert [int(row["lead"]) for row in rows] == store.overridden
    (row,) = rows
    assert row["suggested"].startswith("Nurture") and "Unqualified interest" in row["suggested"]
    assert row["chosen"].startswith("Hand off") and "Sales-worthy" in row["chosen"]
    assert row["rep's reason"] == OVERRIDE_REASON
    assert row["sales' answer"] == "rejected: Wrong person"
    assert row["definition version"] == "v2"


def test_rules_that_fired_on_rejected_leads_come_first(store: HandBuilt, tmp_path: Path) -> None:
    folder = make_pack(store, tmp_path / "packs")
    on: dict[tuple[str, str], Counter[bool]] = defaultdict(Counter)
    rejected_in: Counter[str] = Counter()
    for item in store.answered:
        rejected_in[item.version] += not item.accepted
        for rule in item.rules:
            on[(item.version, rule)][item.accepted] += 1
    expected = {
        key: (c[False], c[True], round(100 * c[False] / rejected_in[key[0]], 1))
        for key, c in on.items()
        if c[False]
    }
    rows = read_csv(folder / "rules_on_rejected.csv")
    found = {
        (row["definition version"], row["rule"]): (
            int(row["on rejected leads"]),
            int(row["on accepted leads"]),
            float(row["% of the version's rejections"]),
        )
        for row in rows
    }
    assert found == expected
    counts = [int(row["on rejected leads"]) for row in rows]
    assert counts == sorted(counts, reverse=True)


class PageReader(HTMLParser):
    """What a browser would make of the page: its sections, headings, text and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self.tags: Counter[str] = Counter()
        self.text: list[str] = []
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        self._heading = tag in ("h2", "h3")

    def handle_endtag(self, tag: str) -> None:
        self._heading = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading and data.strip():
            self.headings.append(data.strip())


# The page's markup (the figures in it are checked on both stores): SQLite is enough.
@sqlite_only
def test_the_page_has_every_section_its_charts_and_the_store_text_escaped(
    store: HandBuilt, tmp_path: Path
) -> None:
    folder = make_pack(store, tmp_path / "packs")
    html = (folder / "huddle.html").read_text(encoding="utf-8")
    page = PageReader()
    page.feed(html)
    page.close()
    assert page.sections == ["acceptance", "rejections", "unanswered", "overrides", "rules"]
    for heading in (
        "Acceptance by definition version",
        "Acceptance by source",
        "Acceptance by rep",
        "Every rejection, with sales' comment",
        "Hand-offs sales never answered",
        "Verdicts reps overrode",
        "Rules that fired on rejected leads",
    ):
        assert heading in page.headings
    # The store's words are on the page as text, never as markup.
    assert page.tags["script"] == 0 and page.tags["b"] == 0 and page.tags["fair"] == 0
    text = "".join(page.text)
    for words in (COMMENT, SHOUTY, OVERRIDE_REASON, SOURCE):
        assert words in text
    assert "&lt;script&gt;" in html and "<script" not in html
    # Charts drawn by matplotlib, inlined; each table links the CSV beside the page.
    assert page.tags["svg"] == 5
    csv_files = sorted(path.name for path in folder.glob("*.csv"))
    assert sorted(link for link in page.links if link.endswith(".csv")) == csv_files
    assert len(csv_files) == 8
    assert "@media print" in html and "break-before: page" in html
