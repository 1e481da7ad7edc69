"""The figures behind the team dashboards, for a chosen period: plain rows a chart, a table,
a CSV file for the huddle or a script's JSON all read the same way.

A period is whole days in the team's time zone (the policy's), ``since`` to ``until``
inclusive. Lead-based reports (funnel, speed to lead, sources) count the leads that *arrived*
in the period; event-based ones (throughput, agreement, workload) count what *happened* in it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from leaddesk.domain import CallOutcome, LeadType, Role, SalesDecision, Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.store.models import (
    Assignment,
    CallAttempt,
    HandoffBatch,
    Lead,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.team.moves import is_open

QUALIFIED_OR_LATER = (Stage.QUALIFIED, Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED)
HANDED_OFF_OR_LATER = (Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED)
DEFAULT_DAYS = 30
MAX_DAYS = 731
# A spreadsheet reads a cell starting with one of these as a formula; such text gets a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class ReportRow(Protocol):
    def row(self) -> tuple[object, ...]: ...


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # inclusive
    timezone: str

    @property
    def start(self) -> datetime:
        return _midnight(self.since, self.timezone)

    @property
    def end(self) -> datetime:
        return _midnight(self.until + timedelta(days=1), self.timezone)

    def days(self) -> list[date]:
        count = (self.until - self.since).days + 1
        return [self.since + timedelta(days=n) for n in range(count)]

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class Report:
    """One dashboard's table: ``headers`` and ``rows()``; ``items`` keep the typed rows."""

    name: str
    title: str
    period: Period
    headers: tuple[str, ...]
    items: tuple[Any, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[tuple[object, ...]]:
        return [item.row() for item in self.items]

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.headers)
        for row in self.rows():
            writer.writerow([_cell(value) for value in row])
        return out.getvalue()

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "title": self.title,
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "timezone": self.period.timezone,
            "headers": list(self.headers),
            "rows": [dict(zip(self.headers, row, strict=True)) for row in self.rows()],
            "summary": dict(self.summary),
        }


def period(session: Session, *, since: date | None, until: date | None, at: datetime) -> Period:
    """The asked-for days, by default the last 30 up to today, in the team's time zone."""
    zone = current_policy(session).timezone
    today = at.astimezone(ZoneInfo(zone)).date()
    last = until or today
    first = since or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InputError(f"{first} is after the period's last day, {last}", field="since")
    if (last - first).days >= MAX_DAYS:
        raise InputError("Pick a period of at most two years.")
    return Period(first, last, zone)


# -- funnel ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    step: str
    label: str
    leads: int
    pct_of_arrived: float

    def row(self) -> tuple[object, ...]:
        return (self.label, self.leads, self.pct_of_arrived)


def funnel(session: Session, span: Period) -> Report:
    """How far the period's leads got: reached, qualified, handed off, accepted by sales."""
    contacted = case((Lead.first_contact_at.is_not(None), 1), else_=0)
    counts: Counter[tuple[Stage, int]] = Counter()
    for stage, reached, number in session.execute(
        select(Lead.stage, contacted, func.count())
        .where(Lead.arrived_at >= span.start, Lead.arrived_at < span.end)
        .group_by(Lead.stage, contacted)
    ).tuples():
        counts[(stage, int(reached))] += int(number)
    arrived = sum(counts.values())

    def total(test: Callable[[Stage, int], bool]) -> int:
        return sum(n for (stage, reached), n in counts.items() if test(stage, reached))

    definition = current_definition(session)

    def label(stage: Stage) -> str:
        return definition.stage_label(stage) if definition else stage.value.replace("_", " ")

    steps = [
        ("arrived", "Arrived", arrived),
        ("contacted", "Reached by phone", total(lambda _s, reached: reached == 1)),
        ("qualified", label(Stage.QUALIFIED), total(lambda s, _r: s in QUALIFIED_OR_LATER)),
        ("handed_off", label(Stage.HANDED_OFF), total(lambda s, _r: s in HANDED_OFF_OR_LATER)),
        ("accepted", label(Stage.ACCEPTED), total(lambda s, _r: s is Stage.ACCEPTED)),
    ]
    items = tuple(FunnelStep(key, text, n, _pct(n, arrived)) for key, text, n in steps)
    return Report("funnel", "Funnel", span, ("step", "leads", "% of arrived"), items)


# -- throughput -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThroughputDay:
    day: date
    new: int
    contacted: int
    qualified: int
    handed_off: int
    accepted: int

    def row(self) -> tuple[object, ...]:
        return (
            self.day.isoformat(),
            self.new,
            self.contacted,
            self.qualified,
            self.handed_off,
            self.accepted,
        )


def throughput(session: Session, span: Period) -> Report:
    """Per day: arrived, first reached, qualified (hand-off verdicts), handed off, accepted."""

    def in_span(column: Any) -> list[Any]:
        return [column >= span.start, column < span.end]

    series: dict[str, Counter[date]] = {}
    series["new"] = _by_day(
        span, session.scalars(select(Lead.arrived_at).where(*in_span(Lead.arrived_at)))
    )
    series["contacted"] = _by_day(
        span,
        session.scalars(select(Lead.first_contact_at).where(*in_span(Lead.first_contact_at))),
    )
    # A lead qualified twice on one day (verdict corrected) counts once.
    qualified = (
        session.execute(
            select(VerdictRecord.lead_id, VerdictRecord.decided_at).where(
                VerdictRecord.verdict == Verdict.HAND_OFF, *in_span(VerdictRecord.decided_at)
            )
        )
        .tuples()
        .all()
    )
    series["qualified"] = Counter(
        day for _, day in {(lead, span.local_day(at)) for lead, at in qualified}
    )
    series["handed_off"] = _by_day(
        span,
        session.scalars(
            select(HandoffBatch.created_at)
            .join(Lead, Lead.handoff_batch_id == HandoffBatch.id)
            .where(*in_span(HandoffBatch.created_at))
        ),
    )
    series["accepted"] = _by_day(
        span,
        session.scalars(
            select(SalesFeedback.recorded_at).where(
                SalesFeedback.decision == SalesDecision.ACCEPTED,
                *in_span(SalesFeedback.recorded_at),
            )
        ),
    )
    items = tuple(
        ThroughputDay(
            day=day,
            new=series["new"][day],
            contacted=series["contacted"][day],
            qualified=series["qualified"][day],
            handed_off=series["handed_off"][day],
            accepted=series["accepted"][day],
        )
        for day in span.days()
    )
    totals = {key: sum(counter.values()) for key, counter in series.items()}
    return Report(
        "throughput",
        "Throughput per day",
        span,
        ("day", "new", "contacted", "qualified", "handed off", "accepted by sales"),
        items,
        totals,
    )


# -- speed to lead and SLA ------------------------------------------------------------------------

SPEED_BUCKETS: tuple[tuple[str, float], ...] = (
    ("within 15 min", 15),
    ("15-60 min", 60),
    ("1-2 h", 120),
    ("2-4 h", 240),
    ("4-24 h", 1440),
    ("over 24 h", float("inf")),
)
NOT_REACHED = "not reached yet"


@dataclass(frozen=True)
class SpeedBucket:
    bucket: str
    leads: int
    pct: float

    def row(self) -> tuple[object, ...]:
        return (self.bucket, self.leads, self.pct)


def speed_to_lead(session: Session, span: Period, *, at: datetime) -> Report:
    """How long the period's leads waited for the first call, and the share reached in time.

    SLA: met if first reached by the deadline; breached if reached later, or never reached and
    the deadline has passed. Leads closed unreached before their deadline needed no call and
    are left out, as are leads whose deadline is still ahead.
    """
    rows = (
        session.execute(
            select(Lead.arrived_at, Lead.first_contact_at, Lead.sla_due_at, Lead.closed_at).where(
                Lead.arrived_at >= span.start, Lead.arrived_at < span.end
            )
        )
        .tuples()
        .all()
    )
    counts: Counter[str] = Counter()
    minutes: list[float] = []
    met = breached = not_due = 0
    for arrived, first, due, closed in rows:
        if first is None:
            counts[NOT_REACHED] += 1
        else:
            waited = max(0.0, (first - arrived).total_seconds() / 60)
            minutes.append(waited)
            counts[next(name for name, limit in SPEED_BUCKETS if waited < limit)] += 1
        if due is None:
            continue
        if first is not None:
            if first <= due:
                met += 1
            else:
                breached += 1
        elif closed is not None and closed <= due:
            continue
        elif due < at:
            breached += 1
        else:
            not_due += 1
    total = sum(counts.values())
    names = [name for name, _ in SPEED_BUCKETS] + [NOT_REACHED]
    items = tuple(SpeedBucket(name, counts[name], _pct(counts[name], total)) for name in names)
    summary = {
        "leads": total,
        "sla_met": met,
        "sla_breached": breached,
        "sla_not_due_yet": not_due,
        # None when no deadline has come yet: 0 % would read as every lead missed.
        "sla_compliance_pct": _pct(met, met + breached) if met + breached else None,
        "median_minutes_to_first_call": round(median(minutes), 1) if minutes else None,
    }
    return Report(
        "sla", "Speed to lead", span, ("first call", "leads", "% of leads"), items, summary
    )


# -- sources --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceOutcomes:
    source: str
    leads: int
    still_open: int
    qualified: int
    nurture: int
    disqualified: int
    existing_account: int
    dubious: int
    unworthy: int
    accepted_by_sales: int
    rejected_by_sales: int
    rejection_reasons: tuple[tuple[str, int], ...]

    @property
    def dubious_or_unworthy_pct(self) -> float:
        return _pct(self.dubious + self.unworthy, self.leads)

    def row(self) -> tuple[object, ...]:
        return (
            self.source,
            self.leads,
            self.still_open,
            self.qualified,
            self.nurture,
            self.disqualified,
            self.existing_account,
            self.dubious,
            self.unworthy,
            self.dubious_or_unworthy_pct,
            self.accepted_by_sales,
            self.rejected_by_sales,
            "; ".join(f"{reason}: {n}" for reason, n in self.rejection_reasons),
        )


def sources(session: Session, span: Period) -> Report:
    """Per source, what became of the period's leads, and why sales turned some down."""
    arrived = (Lead.arrived_at >= span.start, Lead.arrived_at < span.end)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for source, stage, lead_type, number in session.execute(
        select(Lead.source, Lead.stage, Lead.lead_type, func.count())
        .where(*arrived)
        .group_by(Lead.source, Lead.stage, Lead.lead_type)
    ).tuples():
        counts = tally[source]
        counts["leads"] += number
        counts[_outcome(stage)] += number
        answered = _accepted_rejected(stage)
        if answered:
            counts[answered] += number
        if lead_type in (LeadType.DUBIOUS, LeadType.UNWORTHY):
            counts[lead_type.value] += number
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for source, reason, number in session.execute(
        select(Lead.source, SalesFeedback.reason, func.count())
        .join(SalesFeedback, SalesFeedback.lead_id == Lead.id)
        .where(*arrived, SalesFeedback.decision == SalesDecision.REJECTED)
        .group_by(Lead.source, SalesFeedback.reason)
    ).tuples():
        reasons[source][reason or "no reason given"] += number
    items = tuple(
        SourceOutcomes(
            source=source,
            leads=c["leads"],
            still_open=c["open"],
            qualified=c["qualified"],
            nurture=c["nurture"],
            disqualified=c["disqualified"],
            existing_account=c["existing_account"],
            dubious=c["dubious"],
            unworthy=c["unworthy"],
            accepted_by_sales=c["accepted"],
            rejected_by_sales=c["rejected"],
            rejection_reasons=tuple(
                sorted(reasons[source].items(), key=lambda item: (-item[1], item[0]))
            ),
        )
        for source, c in sorted(tally.items())
    )
    headers = (
        "source",
        "leads",
        "still open",
        "qualified",
        "nurture",
        "disqualified",
        "existing account",
        "dubious",
        "unworthy",
        "% dubious or unworthy",
        "accepted by sales",
        "rejected by sales",
        "sales rejection reasons",
    )
    return Report("sources", "Outcomes by source", span, headers, items)


def _outcome(stage: Stage) -> str:
    # "qualified" counts every lead a qualifier judged sales-worthy, whatever sales said since.
    if stage.is_open:
        return "open"
    if stage in QUALIFIED_OR_LATER:
        return "qualified"
    return stage.value


def _accepted_rejected(stage: Stage) -> str | None:
    return {Stage.ACCEPTED: "accepted", Stage.REJECTED: "rejected"}.get(stage)


# -- sales agreement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepAgreement:
    rep: str
    handed_off: int
    accepted: int
    rejected: int
    waiting: int

    @property
    def agreement_pct(self) -> float | None:
        answered = self.accepted + self.rejected
        return _pct(self.accepted, answered) if answered else None

    def row(self) -> tuple[object, ...]:
        return (
            self.rep,
            self.handed_off,
            self.accepted,
            self.rejected,
            self.waiting,
            self.agreement_pct,
        )


def agreement(session: Session, span: Period) -> Report:
    """Per qualifier, the leads handed off in the period and how many sales accepted.

    The qualifier is whoever gave the lead its (latest) hand-off verdict.
    """
    handed = (
        session.execute(
            select(Lead.id, Lead.assigned_to_id, SalesFeedback.decision)
            .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
            .outerjoin(SalesFeedback, SalesFeedback.lead_id == Lead.id)
            .where(HandoffBatch.created_at >= span.start, HandoffBatch.created_at < span.end)
        )
        .tuples()
        .all()
    )
    leads = {lead_id: (owner, decision) for lead_id, owner, decision in handed}
    qualifier: dict[int, int] = {}
    verdicts = (
        session.execute(
            select(VerdictRecord.lead_id, VerdictRecord.decided_by_id)
            .join(Lead, Lead.id == VerdictRecord.lead_id)
            .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
            .where(
                VerdictRecord.verdict == Verdict.HAND_OFF,
                HandoffBatch.created_at >= span.start,
                HandoffBatch.created_at < span.end,
            )
            .order_by(VerdictRecord.decided_at, VerdictRecord.id)
        )
        .tuples()
        .all()
    )
    for lead_id, decided_by in verdicts:
        qualifier[lead_id] = decided_by  # the latest wins
    names = _names(session)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for lead_id, (owner, decision) in leads.items():
        who = qualifier.get(lead_id, owner)
        counts = tally[names.get(who, "unknown") if who is not None else "unknown"]
        counts["handed_off"] += 1
        counts[decision.value if decision is not None else "waiting"] += 1
    items = tuple(
        RepAgreement(
            rep=rep,
            handed_off=c["handed_off"],
            accepted=c[SalesDecision.ACCEPTED.value],
            rejected=c[SalesDecision.REJECTED.value],
            waiting=c["waiting"],
        )
        for rep, c in sorted(tally.items())
    )
    accepted = sum(i.accepted for i in items)
    answered = accepted + sum(i.rejected for i in items)
    return Report(
        "agreement",
        "Sales agreement per rep",
        span,
        ("rep", "handed off", "accepted", "rejected", "waiting", "% accepted"),
        items,
        {"team_agreement_pct": _pct(accepted, answered) if answered else None},
    )


# -- workload -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepWorkload:
    rep: str
    open_now: int
    capacity: int
    received: int
    calls: int
    connects: int
    verdicts: int
    talk_minutes: int = 0  # connected calls' whole length (ended when the rep hung up)

    @property
    def capacity_used_pct(self) -> float:
        return _pct(self.open_now, self.capacity) if self.capacity else 0.0

    def row(self) -> tuple[object, ...]:
        return (
            self.rep,
            self.open_now,
            self.capacity,
            self.capacity_used_pct,
            self.received,
            self.calls,
            self.connects,
            self.talk_minutes,
            self.verdicts,
        )


def workload(session: Session, span: Period) -> Report:
    """Per rep: what they hold now against capacity; what they received and did in the period."""
    open_now = dict(
        session.execute(
            select(Lead.assigned_to_id, func.count())
            .where(is_open(), Lead.assigned_to_id.is_not(None))
            .group_by(Lead.assigned_to_id)
        )
        .tuples()
        .all()
    )
    received = dict(
        session.execute(
            select(Assignment.to_user_id, func.count())
            .where(
                Assignment.to_user_id.is_not(None),
                Assignment.at >= span.start,
                Assignment.at < span.end,
            )
            .group_by(Assignment.to_user_id)
        )
        .tuples()
        .all()
    )
    connected = case((CallAttempt.outcome == CallOutcome.CONNECTED, 1), else_=0)
    talked = case(
        (CallAttempt.outcome == CallOutcome.CONNECTED, CallAttempt.duration_seconds), else_=0
    )
    calls = {
        user: (int(n), int(c or 0), round(int(t or 0) / 60))
        for user, n, c, t in session.execute(
            select(CallAttempt.user_id, func.count(), func.sum(connected), func.sum(talked))
            .where(CallAttempt.at >= span.start, CallAttempt.at < span.end)
            .group_by(CallAttempt.user_id)
        )
        .tuples()
        .all()
    }
    verdicts = dict(
        session.execute(
            select(VerdictRecord.decided_by_id, func.count())
            .where(VerdictRecord.decided_at >= span.start, VerdictRecord.decided_at < span.end)
            .group_by(VerdictRecord.decided_by_id)
        )
        .tuples()
        .all()
    )
    busy = set(open_now) | set(received) | set(calls) | set(verdicts)
    users = session.scalars(select(User).order_by(User.name)).all()
    items = tuple(
        RepWorkload(
            rep=u.display_name,
            open_now=int(open_now.get(u.id, 0)),
            capacity=u.capacity,
            received=int(received.get(u.id, 0)),
            calls=calls.get(u.id, (0, 0, 0))[0],
            connects=calls.get(u.id, (0, 0, 0))[1],
            verdicts=int(verdicts.get(u.id, 0)),
            talk_minutes=calls.get(u.id, (0, 0, 0))[2],
        )
        for u in users
        if (u.active and u.role is Role.QUALIFIER) or u.id in busy
    )
    headers = (
        "rep",
        "open now",
        "capacity",
        "used %",
        "received",
        "calls",
        "connects",
        "talk min",
        "verdicts",
    )
    return Report("workload", "Workload per rep", span, headers, items)


REPORTS: dict[str, Callable[[Session, Period, datetime], Report]] = {
    "funnel": lambda session, span, _at: funnel(session, span),
    "throughput": lambda session, span, _at: throughput(session, span),
    "sla": lambda session, span, at: speed_to_lead(session, span, at=at),
    "sources": lambda session, span, _at: sources(session, span),
    "agreement": lambda session, span, _at: agreement(session, span),
    "workload": lambda session, span, _at: workload(session, span),
}


def build_report(
    session: Session, name: str, *, since: date | None, until: date | None, at: datetime
) -> Report:
    maker = REPORTS.get(name)
    if maker is None:
        raise InputError(f"No report '{name}'; pick one of: {', '.join(REPORTS)}")
    return maker(session, period(session, since=since, until=until, at=at), at)


# -- helpers --------------------------------------------------------------------------------------


def _midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))


def _by_day(span: Period, moments: Sequence[datetime] | Any) -> Counter[date]:
    return Counter(span.local_day(moment) for moment in moments if moment is not None)


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _names(session: Session) -> dict[int, str]:
    """Reps as the team knows them (display names), for reports people read."""
    return dict(session.execute(select(User.id, User.display_name)).tuples().all())


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
