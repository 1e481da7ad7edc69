"""Reading back what sales did in their CRM (``leaddesk sync pull``, the salesperson's window
every few minutes): the connector's answers applied as a feedback file's are, and the pull's
cursor advanced, in one transaction, so a crash leaves both or neither.

Only a salesperson pulls: applying an answer records an opportunity, which qualifiers (and the
team's admins, whose database logins hold no such right) never do. Each answer is recorded as
coming from the CRM ("Salesforce: <owner>"); a rejection's reason is matched to the lead
definition's reasons, and one the definition does not list becomes "other" with the CRM's words
kept in the comment.

The cursor is the pull's start less a margin, not the CRM's last change time: a record the CRM
commits while the query runs, or a clock a little off, is read again next time, and the same
answer again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from leaddesk.definition.labels import Labels, current_labels
from leaddesk.definition.reject_reasons import reason_for
from leaddesk.domain import SalesDecision
from leaddesk.errors import Conflict
from leaddesk.handoff.feedback import MAX_ID, MAX_TEXT, Decision, Problem
from leaddesk.handoff.feedback_apply import import_feedback, sales_user
from leaddesk.store import Store
from leaddesk.sync.connector import Connector, CrmUnreachable
from leaddesk.sync.team_settings import advance_pull, pulled_until

OVERLAP = timedelta(minutes=10)
OTHER = "other"


@dataclass
class PullRun:
    """What one pull read and did."""

    connector: str
    label: str
    read: int = 0
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    not_applied: list[Problem] = field(default_factory=list)
    unreachable: str | None = None
    since: datetime | None = None

    @property
    def unmatched(self) -> list[Problem]:
        """Answers on records no lead here carries (or no lead with sales yet)."""
        return [p for p in self.not_applied if p.kind in ("unknown_lead", "not_handed_off")]

    def as_json(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "not_applied": [problem.as_json() for problem in self.not_applied],
            "unreachable": self.unreachable,
            "since": self.since.isoformat() if self.since else None,
        }


def _cut(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else text


def in_leaddesk_terms(decision: Decision, labels: Labels, crm: str) -> Decision:
    """The CRM's answer as LeadDesk records it: the owner named as the CRM's, the reason one
    of the definition's (else "other", with the CRM's words in the comment)."""
    owner = f"{crm}: {decision.owner}" if decision.owner else crm
    reason, comment = decision.reason, decision.comment
    if decision.decision is SalesDecision.REJECTED:
        known = reason_for(labels.reject_reasons, decision.reason or "")
        has_other = reason_for(labels.reject_reasons, OTHER) is not None
        if known is not None:
            reason = known.key
        elif has_other:
            said = f"{crm} said: {decision.reason}"
            reason, comment = OTHER, f"{said} — {comment}" if comment else said
    return replace(
        decision,
        owner=_cut(owner, MAX_ID),
        reason=_cut(reason, MAX_ID),
        comment=_cut(comment, MAX_TEXT),
        opportunity_id=_cut(decision.opportunity_id, MAX_ID),
    )


def pull_answers(
    store: Store,
    connector: Connector,
    *,
    actor_id: int | None,
    clock: Callable[[], datetime],
) -> PullRun:
    """Read sales' answers since the last pull and record them, with the cursor."""
    with store.reading() as session:
        sales_user(session, actor_id)  # refused before anything is asked of the CRM
        since = pulled_until(session)
    run = PullRun(connector.name, connector.label, since=since)
    started = clock()
    try:
        decisions = connector.pull(since)
    except CrmUnreachable as error:
        run.unreachable = str(error)
        return run
    run.read = len(decisions)
    until = started - OVERLAP
    if since is not None and since > until:
        until = since
    try:
        with store.transaction() as session:
            labels = current_labels(session)
            report = import_feedback(
                session,
                actor_id=actor_id,
                decisions=[in_leaddesk_terms(d, labels, connector.label) for d in decisions],
                file=f"{connector.label} (sync pull)",
                rows=len(decisions),
                at=started,
                crm=connector.label,
            )
            advance_pull(session, until)
    except (IntegrityError, StaleDataError) as exc:
        raise Conflict(
            "Someone recorded sales' answers on the same leads at the same moment; nothing "
            "was recorded from this pull. Pull again."
        ) from exc
    run.accepted, run.rejected = report.accepted, report.rejected
    run.unchanged, run.not_applied = report.unchanged, report.problems
    return run
