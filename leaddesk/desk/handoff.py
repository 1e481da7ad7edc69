"""Handing qualified leads to sales and reading back what sales did.

Export spans several transactions by design (reserve, write files, complete), so the
handoff package drives the store itself; see leaddesk/handoff/batch_export.py."""

from __future__ import annotations

from pathlib import Path

from leaddesk import handoff as handoffs
from leaddesk.definition.labels import current_labels
from leaddesk.definition.reject_reasons import RejectReason
from leaddesk.desk.context import DeskContext
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff import mine as handed
from leaddesk.handoff.at_once import require_folder
from leaddesk.handoff.records import HandoffRecord, read_record
from leaddesk.handoff.sales_clock import ChaseResult, chase
from leaddesk.people.permissions import Action


class Handoff:
    """``desk.handoff``: qualified leads handed to sales, and sales' answers coming back."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def preview(self, *, team: bool = False) -> handoffs.HandoffPreview:
        """The leads the next export would hand off (the end-of-day dialog's list)."""
        scope = handoffs.Scope.TEAM if team else handoffs.Scope.OWN
        with self._ctx.read(scope.action) as session:
            return handoffs.preview(session, actor_id=self._ctx.actor.id, scope=scope)

    def export(
        self,
        out_dir: Path,
        *,
        team: bool = False,
        xlsx: bool = False,
        progress: handoffs.Progress | None = None,
        cancelled: handoffs.Cancelled | None = None,
    ) -> handoffs.ExportResult:
        """Hand every waiting lead to sales as one batch folder under ``out_dir``.

        ``progress(done, total, step)`` is called as leads are read and files written;
        ``cancelled()`` returning True stops the export with nothing handed off
        (HandoffCancelled is raised).
        """
        scope = handoffs.Scope.TEAM if team else handoffs.Scope.OWN
        return handoffs.export(
            self._ctx.store_for(scope.action),
            actor_id=self._ctx.actor.id,
            out_dir=Path(out_dir),
            scope=scope,
            xlsx=xlsx,
            at=self._ctx.clock(),
            progress=progress or (lambda _done, _total, _step: None),
            cancelled=cancelled or (lambda: False),
        )

    def rewrite(self, batch: str, *, out_dir: Path | None = None) -> handoffs.ExportedBatch:
        """Write a batch's files again (lost or deleted): same content, same checksums."""
        self._ctx.require_any(Action.EXPORT_OWN, Action.EXPORT_TEAM)
        with self._ctx.read(None) as session:
            require_folder(session, batch)
        return handoffs.rewrite(
            self._ctx.store,
            actor_id=self._ctx.actor.id,
            code=batch,
            at=self._ctx.clock(),
            out_dir=out_dir,
        )

    def import_feedback(self, path: Path) -> handoffs.FeedbackReport:
        """Sales' accept/reject file; the only way an opportunity enters LeadDesk."""
        self._ctx.require(Action.RECORD_SALES_FEEDBACK)
        return handoffs.import_feedback_file(
            self._ctx.store_for(Action.RECORD_OPPORTUNITY),
            actor_id=self._ctx.actor.id,
            path=Path(path),
            at=self._ctx.clock(),
        )

    def record_decision(self, decision: handoffs.Decision) -> bool:
        """One lead's answer from sales; True if it changed anything. A qualified lead routed
        to this salesperson may be answered before any export (handed off with the answer);
        another salesperson's is refused (NotPermitted)."""
        self._ctx.require(Action.RECORD_SALES_FEEDBACK)
        with self._ctx.write(Action.RECORD_OPPORTUNITY) as session:
            return handoffs.record_decision(
                session, actor_id=self._ctx.actor.id, decision=decision, at=self._ctx.clock()
            )

    def record(self, lead_id: int) -> HandoffRecord:
        """A handed-off lead as its batch gave it to sales (answers, scores, notes, calls):
        what a salesperson reads before accepting or rejecting it. Reps read their own."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            record = read_record(session, lead_id)
        if record is None:
            raise InputError(f"Lead {lead_id} has not been handed off to sales.")
        team_wide = self._ctx.can(Action.RECORD_SALES_FEEDBACK) or self._ctx.can(Action.VIEW_TEAM)
        if not team_wide and record.qualified_by != self._ctx.actor.name:
            raise NotPermitted(f"Lead {lead_id} was qualified by a colleague; ask your team lead.")
        return record

    def pending(self, *, everything: bool = False) -> handoffs.PendingReport:
        """Handed-off leads sales has not answered within the policy's window (``everything``:
        all those not answered yet, longest waiting first)."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return handoffs.pending(
                session, actor_id=self._ctx.actor.id, at=self._ctx.clock(), everything=everything
            )

    def chase(self) -> ChaseResult:
        """Flag routed hand-offs sales left unanswered past the follow-up window (to the team
        lead and the sales manager) and, if the policy says so, move those past escalation to
        another salesperson, each step audited."""
        with self._ctx.write(Action.CHASE_SALES) as session:
            return chase(session, actor_id=self._ctx.actor.id, at=self._ctx.clock())

    def mine(self, *, status: str | None = None) -> handed.MyHandoffs:
        """My hand-offs: the leads I handed to sales, waiting or answered (with sales' reason,
        comment, opportunity, who answered and when), newest first."""
        if status is not None and status not in handed.STATUSES:
            raise InputError(f"'{status}' is not waiting, accepted or rejected.", field="status")
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return handed.my_handoffs(session, actor_id=self._ctx.actor.id, status=status)

    def answers_mark(self) -> int:
        """A mark for ``answers_since``: answers recorded after it are news."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return handed.latest_answer_id(session)

    def answers_since(self, mark: int) -> tuple[list[handed.MyHandoff], int]:
        """Sales' answers on my hand-offs recorded after ``mark``, and the next mark."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return handed.answers_since(session, actor_id=self._ctx.actor.id, mark=mark)

    def reject_reasons(self) -> tuple[RejectReason, ...]:
        """The reasons sales may reject a lead for: the published definition's."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return current_labels(session).reject_reasons
