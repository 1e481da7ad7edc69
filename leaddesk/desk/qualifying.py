"""Qualifying a lead: the lead definition, answers, the verdict and its undo."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from leaddesk.definition import versions as definition_versions
from leaddesk.desk.context import DeskContext
from leaddesk.domain import DisqualifyReason, LeadType, Verdict
from leaddesk.handoff.routing import Route, Salesperson, sales_team
from leaddesk.people.permissions import Action
from leaddesk.qualifying import history, publishing, qualification, verdicts
from leaddesk.qualifying.undo import UndoneVerdict, undo_verdict
from leaddesk.sync import outbox


class Qualifying:
    """``desk.qualifying``: the lead definition, the questionnaire's answers and the verdict."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def publish_definition(
        self, text: str, source: str, *, note: str | None = None
    ) -> definition_versions.PublishResult:
        """Check the definition fully and store it as the next immutable version (one that
        adds the marketing-qualified stage moves the new leads meeting its rule into it)."""
        with self._ctx.write(Action.PUBLISH_DEFINITION) as session:
            return publishing.publish(
                session,
                text,
                source=source,
                at=self._ctx.clock(),
                actor_id=self._ctx.actor.id,
                note=note,
            )

    def definition(self, version: int | None = None) -> definition_versions.ShownDefinition:
        """A published version (the current one by default) with its parsed definition."""
        with self._ctx.read(None) as session:
            return definition_versions.show_definition(session, version)

    def definition_diff(self, text: str, source: str) -> definition_versions.DefinitionDiff:
        """What publishing ``text`` would change for reps, in plain words."""
        with self._ctx.read(None) as session:
            return definition_versions.diff_against_current(session, text, source=source)

    def answer(self, lead_id: int, answers: Mapping[str, object]) -> qualification.Qualification:
        """Save answers the moment they are given (one transaction) and re-evaluate the lead."""
        with self._ctx.write(Action.QUALIFY) as session:
            return qualification.answer(
                session,
                lead_id=lead_id,
                answers=answers,
                actor_id=self._ctx.user_id,
                at=self._ctx.clock(),
            )

    def evaluate(self, lead_id: int) -> qualification.Qualification:
        """The lead's saved answers, the live evaluation and the suggested verdict."""
        with self._ctx.read(Action.QUALIFY) as session:
            return qualification.qualification(session, lead_id, at=self._ctx.clock())

    def give_verdict(
        self,
        lead_id: int,
        verdict: Verdict,
        reason: str | None = None,
        *,
        lead_type: LeadType | None = None,
        disqualify_reason: DisqualifyReason | None = None,
        recycle_at: datetime | None = None,
        expected_version: int | None = None,
        call_seconds: int | None = None,
        to: str | None = None,
    ) -> verdicts.VerdictInfo:
        """Confirm or override the suggestion; an override needs a reason. Ends the claim and
        the connected call (``call_seconds``: its length as the window timed it). A hand-off
        goes to the salesperson the policy names, or to ``to`` (a sales user) if the rep
        picks another; the choice is in the verdict's audit event."""
        at = self._ctx.clock()
        user_id = self._ctx.user_id
        with (
            self._ctx.write(Action.GIVE_VERDICT) as session,
            self._ctx.day.watch(session, lead_id, user_id=user_id, at=at) as change,
        ):
            given = verdicts.give_verdict(
                session,
                lead_id=lead_id,
                verdict=verdict,
                actor_id=user_id,
                at=at,
                reason=reason,
                lead_type=lead_type,
                disqualify_reason=disqualify_reason,
                recycle_at=recycle_at,
                expected_version=expected_version,
                call_seconds=call_seconds,
                to=to,
            )
            if given.verdict is Verdict.HAND_OFF:  # sales' CRM hears of it, exactly once
                outbox.queue_hand_off(session, lead_id, given.id, given.decided_at)
        self._ctx.day.add(change)
        return given

    def salesperson_for(self, lead_id: int, verdict: Verdict) -> Route | None:
        """Who a ``verdict`` on the lead would hand it to, and why: shown before confirming."""
        with self._ctx.read(Action.GIVE_VERDICT) as session:
            return verdicts.salesperson_for(session, lead_id, verdict)

    def salespeople(self) -> list[Salesperson]:
        """The active salespeople a rep may pick instead, with their open hand-offs."""
        with self._ctx.read(Action.GIVE_VERDICT) as session:
            return sales_team(session)

    def undo_verdict(self, verdict_id: int) -> UndoneVerdict:
        """Take back a verdict given by mistake (within minutes, before a hand-off or anything
        else follows): the lead is as before it, held by the rep, its answers kept."""
        at = self._ctx.clock()
        with self._ctx.write(Action.GIVE_VERDICT) as session:
            outbox.refuse_undo_once_sent(session, verdict_id)
            undone = undo_verdict(session, verdict_id, user_id=self._ctx.user_id, at=at)
            outbox.drop_unsent(session, undone.lead_id, at)
        self._ctx.day.forget()  # rare: the day is counted again rather than followed
        return undone

    def verdict_history(self, lead_id: int) -> list[history.PastVerdict]:
        """Every verdict on the lead with the questions and wording of its own version."""
        self._ctx.require_any(Action.WORK_QUEUE, Action.READ_HANDOFFS)
        with self._ctx.read(None) as session:
            return history.verdict_history(session, lead_id)
