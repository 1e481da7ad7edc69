"""What sales answered in a huddle's period (issue #19 item 4): each answer with the hand-off
verdict behind it, then acceptance cut by definition version, source and rep, every rejection
with sales' reason and comment, and the definition rules that fired on rejected leads.

An answer counts when sales recorded it in the period. The verdict behind it is the lead's
latest hand-off verdict given before the answer: its rep, its definition version and the
rules that fired for it (``VerdictRecord.fired_rules``, the engine's "why" lines). A lead
answered without such a verdict (an old import) falls back to its owner and its version.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from leaddesk.definition.labels import Labels
from leaddesk.definition.reject_reasons import RejectRoute
from leaddesk.domain import SalesDecision, Verdict
from leaddesk.store.models import (
    Account,
    DefinitionVersion,
    Lead,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.team.reports.period import Period, Report, pct

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Line:
    """One row of a huddle table, in its headers' order."""

    values: tuple[object, ...]

    def row(self) -> tuple[object, ...]:
        return self.values


@dataclass(frozen=True)
class Answer:
    lead_id: int
    person: str
    company: str
    source: str
    rep: str
    version: str
    accepted: bool
    reason: str
    went: str
    comment: str
    answered_by: str
    answered_at: datetime
    fired_rules: tuple[str, ...]


def person_name(first: str | None, last: str | None, email: str | None, lead_id: int) -> str:
    return f"{first or ''} {last or ''}".strip() or email or f"Lead {lead_id}"


def version_names(session: Session) -> dict[int, str]:
    """Each published definition by its number: "v2"."""
    rows = session.execute(select(DefinitionVersion.id, DefinitionVersion.version))
    return {version_id: f"v{number}" for version_id, number in rows.tuples()}


def hand_off_before_answer() -> Any:
    """The id of the lead's latest hand-off verdict given before sales' answer (correlated)."""
    return (
        select(VerdictRecord.id)
        .where(
            VerdictRecord.lead_id == Lead.id,
            VerdictRecord.verdict == Verdict.HAND_OFF,
            VerdictRecord.decided_at <= SalesFeedback.recorded_at,
        )
        .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())
        .limit(1)
        .correlate(Lead, SalesFeedback)
        .scalar_subquery()
    )


def answers(session: Session, span: Period, labels: Labels) -> list[Answer]:
    """Sales' answers recorded in the period, oldest first."""
    answered_by = aliased(User)
    rows = session.execute(
        select(
            Lead.id,
            Person.first_name,
            Person.last_name,
            Person.email,
            Account.name,
            Lead.source,
            Lead.assigned_to_id,
            Lead.definition_version_id,
            VerdictRecord.decided_by_id,
            VerdictRecord.definition_version_id,
            VerdictRecord.fired_rules,
            SalesFeedback.decision,
            SalesFeedback.reason,
            SalesFeedback.route,
            SalesFeedback.detail,
            answered_by.display_name,
            SalesFeedback.recorded_at,
        )
        .join(SalesFeedback, SalesFeedback.lead_id == Lead.id)
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .outerjoin(VerdictRecord, VerdictRecord.id == hand_off_before_answer())
        .outerjoin(answered_by, answered_by.id == SalesFeedback.recorded_by_id)
        .where(SalesFeedback.recorded_at >= span.start, SalesFeedback.recorded_at < span.end)
        .order_by(SalesFeedback.recorded_at, Lead.id)
    ).tuples()
    names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
    versions = version_names(session)
    found = []
    for row in rows:
        lead_id, first, last, email, company, source, owner, lead_version = row[:8]
        rep_id, verdict_version, fired, decision, reason, route, comment = row[8:15]
        who, when = row[15:]
        rep = rep_id if rep_id is not None else owner
        version = verdict_version if verdict_version is not None else lead_version
        accepted = SalesDecision(decision) is SalesDecision.ACCEPTED
        found.append(
            Answer(
                lead_id=lead_id,
                person=person_name(first, last, email, lead_id),
                company=company or "",
                source=source,
                rep=names.get(rep, UNKNOWN) if rep is not None else UNKNOWN,
                version=versions.get(version, UNKNOWN) if version is not None else UNKNOWN,
                accepted=accepted,
                reason="" if accepted else labels.reject_reason(reason) or "no reason given",
                went=RejectRoute(route).said if route else "",
                comment=comment or "",
                answered_by=who or UNKNOWN,
                answered_at=when,
                fired_rules=tuple(fired or ()),
            )
        )
    return found


ACCEPTANCE_HEADERS = ("answered", "accepted", "rejected", "% accepted")


def acceptance(
    span: Period, found: Iterable[Answer], *, name: str, by: str, key: Callable[[Answer], str]
) -> Report:
    """Sales' accept rate per group (``by``): accepted out of answered."""
    tally: dict[str, Counter[bool]] = defaultdict(Counter)
    for answer in found:
        tally[key(answer)][answer.accepted] += 1
    items = tuple(
        Line((group, c[True] + c[False], c[True], c[False], pct(c[True], c[True] + c[False])))
        for group, c in sorted(tally.items())
    )
    return Report(name, f"Acceptance by {by}", span, (by, *ACCEPTANCE_HEADERS), items)


def rejection_reasons(span: Period, found: Iterable[Answer]) -> Report:
    counts = Counter(answer.reason for answer in found if not answer.accepted)
    items = tuple(
        Line((reason, n)) for reason, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )
    return Report("rejection_reasons", "Why sales rejected", span, ("reason", "rejections"), items)


def rejections(span: Period, found: Iterable[Answer]) -> Report:
    items = tuple(
        Line(
            (
                a.lead_id,
                a.person,
                a.company,
                a.source,
                a.rep,
                a.version,
                a.reason,
                a.went,
                a.comment,
                a.answered_by,
                a.answered_at.isoformat(timespec="minutes"),
            )
        )
        for a in found
        if not a.accepted
    )
    headers = (
        "lead",
        "person",
        "company",
        "source",
        "rep",
        "definition version",
        "reason",
        "went",
        "sales' comment",
        "rejected by",
        "rejected at (UTC)",
    )
    return Report("rejections", "Every rejection, with sales' comment", span, headers, items)


def rules_on_rejected(span: Period, found: Iterable[Answer]) -> Report:
    """Per definition version, the rules that fired on leads sales rejected, most first, with
    how often the same rule fired on leads sales accepted: candidates for the next version."""
    fired: dict[tuple[str, str], Counter[bool]] = defaultdict(Counter)
    rejected_per_version: Counter[str] = Counter()
    for answer in found:
        if not answer.accepted:
            rejected_per_version[answer.version] += 1
        for rule in dict.fromkeys(answer.fired_rules):  # a rule counts once per lead
            fired[(answer.version, rule)][answer.accepted] += 1
    ranked = sorted(
        ((version, rule, c) for (version, rule), c in fired.items() if c[False]),
        key=lambda item: (-item[2][False], item[0], item[1]),
    )
    items = tuple(
        Line(
            (
                version,
                rule,
                c[False],
                c[True],
                pct(c[False], rejected_per_version[version]),
                pct(c[True], c[True] + c[False]),
            )
        )
        for version, rule, c in ranked
    )
    headers = (
        "definition version",
        "rule",
        "on rejected leads",
        "on accepted leads",
        "% of the version's rejections",
        "% accepted when it fired",
    )
    return Report("rules_on_rejected", "Rules that fired on rejected leads", span, headers, items)
