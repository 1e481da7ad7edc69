"""Moving leads from the console: reason, preview, confirm, apply — the one path every tab uses.

The core previews (nothing written), the team lead confirms what they see, and the core applies
exactly that preview in one transaction; a lead that changed meanwhile makes the core refuse the
whole move (Conflict), which the operations helper shows as a message.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from leaddesk.desk import (
    DEFAULT_REASON,
    Desk,
    LeadPick,
    ReassignPreview,
    ReassignResult,
    RebalancePlan,
)
from leaddesk.errors import LeadDeskError
from ui.common.operations import Operations
from ui.console import dialogs as team_dialogs
from ui.console.dialogs import MoveChoice, MovesToConfirm, moves_summary

MOVED = frozenset({"team", "queue"})


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def unplaced_words(plan: RebalancePlan) -> tuple[str, ...]:
    if not plan.unplaced:
        return ()
    whys: dict[str, int] = {}
    for left in plan.unplaced:
        whys[left.why] = whys.get(left.why, 0) + 1
    parts = ", ".join(f"{count} {why}" for why, count in sorted(whys.items()))
    count = len(plan.unplaced)
    stay = "stays where it is" if count == 1 else "stay where they are"
    return (f"{plural(count, 'lead')} {stay}: {parts}.",)


def _receiver(preview: ReassignPreview) -> str:
    if preview.to_user is None:
        return "the open pool"
    return preview.to_display_name or preview.to_user


class TeamMoves(QObject):
    reassigned = Signal(object)  # ReassignResult
    planned = Signal(object)  # RebalancePlan, once applied

    def __init__(
        self, desk: Desk, ops: Operations, parent: QWidget, say: Callable[[str], None]
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self._window = parent
        self._say = say

    # -- reassign --------------------------------------------------------------------------------

    def reassign(self, pick: LeadPick, to_user: str | None, what: str, receiver: str) -> None:
        """Ask why, preview, confirm, apply. ``to_user`` None: back to the open pool;
        ``receiver`` is how the team lead knows who gets the leads (a display name)."""
        target = receiver if to_user else "the open pool"
        reason = team_dialogs.ask_reason(
            self._window, "Reassign leads", f"Why do {what} move to {target}?", DEFAULT_REASON
        )
        if reason is None:
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.team.preview_reassign(pick, to_user=to_user, reason=reason),
            done=self._confirm_reassign,
        )

    def _confirm_reassign(self, preview: ReassignPreview) -> None:
        if not preview.moves:
            self._say("Nothing to move. " + " ".join(preview.skipped[:3]))
            return
        target = _receiver(preview)
        request = MovesToConfirm(
            title="Reassign leads",
            summary=f"{plural(len(preview.moves), 'lead')} to {target} — “{preview.reason}”",
            moves=preview.moves,
            warnings=preview.warnings,
        )
        choice = team_dialogs.confirm_moves(self._window, request)
        if choice is None:
            self._say("Nothing moved.")
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.team.apply_reassign(
                preview,
                force=choice is MoveChoice.FORCE,
                after_call=choice is MoveChoice.AFTER_CALL,
            ),
            done=self._reassigned,
            changes=MOVED,
        )

    def _reassigned(self, result: ReassignResult) -> None:
        target = _receiver(result.preview)
        words = [f"Moved {plural(len(result.moved), 'lead')} to {target}."]
        if result.forced:
            words.append(f"{plural(len(result.forced), 'lead')} taken from a call.")
        if result.after_call:
            words.append(f"{plural(len(result.after_call), 'lead')} will move when the call ends.")
        self._say(" ".join(words))
        self.reassigned.emit(result)

    # -- plans (rebalance, spreading an absent rep's leads) --------------------------------------

    def confirm_plan(self, plan: RebalancePlan, title: str) -> bool:
        """Show the plan and apply it if the team lead agrees; False if nothing was started."""
        if not plan.moves:
            self._say(" ".join(("Nothing to move.", *unplaced_words(plan))))
            return False
        request = MovesToConfirm(
            title=title,
            summary=f"{plural(len(plan.moves), 'lead')}: {moves_summary(plan.moves)}",
            moves=plan.moves,
            warnings=unplaced_words(plan),
        )
        if team_dialogs.confirm_moves(self._window, request) is None:
            self._say("Nothing moved.")
            return False
        self.apply_plan(plan)
        return True

    def apply_plan(
        self, plan: RebalancePlan, failed: Callable[[LeadDeskError], None] | None = None
    ) -> None:
        desk = self._desk
        self._ops.run(
            lambda: desk.team.apply_rebalance(plan),
            done=self._applied,
            failed=failed,
            changes=MOVED,
        )

    def _applied(self, plan: RebalancePlan) -> None:
        self._say(f"Moved {plural(len(plan.moves), 'lead')}: {moves_summary(plan.moves)}.")
        self.planned.emit(plan)
