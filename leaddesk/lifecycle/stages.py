"""The lead lifecycle (docs/architecture.md §4): the only code that writes a lead's stage.

Every change of stage goes through ``step_to`` (one lead), ``moved_values`` (one UPDATE over
many leads: a hand-off batch) or ``put_back`` (an undo puts back the stage it took away). Each
checks that the lifecycle allows the step, sets the stage with its timestamps (when it changed,
when the lead ended), and ends the rep's claim once a lead leaves the open stages. Rooms do not
call ``step_to`` or ``put_back`` themselves: ``leaddesk.lifecycle.journal`` does, and writes
the change's one audit event with its undo snapshot in the same transaction. New leads start
in ``NEW_LEAD`` (``started``), or, when the published definition has the stage and its rule
holds for them on arrival, in ``MARKETING_QUALIFIED``.

A definition that adds the marketing-qualified stage ("Basic Qualified Lead") puts it between
new and working: it is open and fresh (no rep has worked it), and it leaves as a new lead does.
A version that drops the stage sends no new lead there; leads already in it stay and move on
along these same steps (a first call makes them working), shown in LeadDesk's own words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.errors import Conflict
from leaddesk.store.models import Lead

NEW_LEAD = Stage.NEW  # where every inquiry starts: intake, by hand, recycled from nurture

# Where a verdict can send an open lead.
_VERDICT_STAGES = frozenset(
    {Stage.QUALIFIED, Stage.NURTURE, Stage.DISQUALIFIED, Stage.EXISTING_ACCOUNT}
)
# A team lead reopens a closed lead (not one sales has) back to work.
_REOPENED = frozenset({Stage.WORKING, Stage.IN_QUALIFICATION})

# The steps the lifecycle allows, from each stage.
_WORKED_ON = frozenset({Stage.WORKING, Stage.IN_QUALIFICATION}) | _VERDICT_STAGES
NEXT: dict[Stage, frozenset[Stage]] = {
    # New to marketing-qualified: a recycled lead, scored after it is made, meets the rule.
    Stage.NEW: frozenset({Stage.MARKETING_QUALIFIED}) | _WORKED_ON,
    Stage.MARKETING_QUALIFIED: _WORKED_ON,
    Stage.WORKING: frozenset({Stage.IN_QUALIFICATION}) | _VERDICT_STAGES,
    Stage.IN_QUALIFICATION: _VERDICT_STAGES,
    # Qualified waits for its hand-off batch; an erasure closes it as disqualified first.
    Stage.QUALIFIED: frozenset({Stage.HANDED_OFF, Stage.DISQUALIFIED}) | _REOPENED,
    # Sales' answer: accepted, or rejected and routed as the definition says for the reason
    # (ended as rejected for marketing, back to nurture, or back to the rep for another try).
    Stage.HANDED_OFF: frozenset({Stage.ACCEPTED, Stage.REJECTED, Stage.NURTURE, Stage.WORKING}),
    Stage.ACCEPTED: frozenset(),
    Stage.REJECTED: frozenset(),
    Stage.NURTURE: _REOPENED,
    Stage.DISQUALIFIED: _REOPENED,
    Stage.EXISTING_ACCOUNT: _REOPENED,
}

# Stages where the lead's story has ended (``closed_at`` is set); qualified and handed off
# still wait for sales, open ones for a rep.
ENDED = frozenset(
    {Stage.NURTURE, Stage.DISQUALIFIED, Stage.EXISTING_ACCOUNT, Stage.ACCEPTED, Stage.REJECTED}
)


def allowed(from_stage: Stage, to_stage: Stage) -> bool:
    """Whether the lifecycle lets a lead go from ``from_stage`` to ``to_stage``."""
    return to_stage in NEXT[from_stage]


def _refuse(lead_id: int | None, from_stage: Stage, to_stage: Stage) -> Conflict:
    return Conflict(
        f"Lead {lead_id} is {from_stage.label}; it cannot go to {to_stage.label} from there. "
        "Reload it to see what changed."
    )


def step_to(lead: Lead, to_stage: Stage, *, at: datetime) -> Stage:
    """Move ``lead`` to ``to_stage`` at ``at``; the stage it left.

    Staying where it is changes nothing. A step the lifecycle does not allow raises Conflict
    (someone else moved the lead meanwhile). Leaving the open stages ends any claim on it.
    """
    from_stage = lead.stage
    if to_stage is from_stage:
        return from_stage
    if not allowed(from_stage, to_stage):
        raise _refuse(lead.id, from_stage, to_stage)
    lead.stage = to_stage
    lead.stage_changed_at = at
    lead.closed_at = at if to_stage in ENDED else None
    if to_stage is Stage.MARKETING_QUALIFIED:
        lead.marketing_qualified_at = at
    if from_stage in OPEN_STAGES and to_stage not in OPEN_STAGES:
        # Nobody calls a closed lead: its claim is over. (Later steps, sales' answer among
        # them, find no claim and touch none of its columns.)
        lead.claimed_by_id = None
        lead.claim_expires_at = None
    return from_stage


def put_back(
    lead: Lead, back_to: Stage, *, stage_changed_at: datetime | None, closed_at: datetime | None
) -> Stage:
    """An undo puts the lead back where the undone step found it; the stage it left.

    Only the reverse of a step the lifecycle allows (or no step at all) can be undone.
    """
    from_stage = lead.stage
    if from_stage is not back_to and not allowed(back_to, from_stage):
        raise _refuse(lead.id, from_stage, back_to)
    lead.stage = back_to
    if stage_changed_at is not None:
        lead.stage_changed_at = stage_changed_at
    lead.closed_at = closed_at
    return from_stage


def moved_values(from_stage: Stage, to_stage: Stage, *, at: datetime) -> dict[str, Any]:
    """The columns one UPDATE sets to move many leads, all in ``from_stage`` (the caller's
    WHERE says so), to ``to_stage``. The caller writes the batch's events (``journal``'s
    docstring says why)."""
    if not allowed(from_stage, to_stage):
        raise _refuse(None, from_stage, to_stage)
    values: dict[str, Any] = {"stage": to_stage, "stage_changed_at": at}
    if to_stage in ENDED:
        values["closed_at"] = at
    return values


def started(at: datetime, *, marketing_qualified: bool = False) -> dict[str, Any]:
    """The stage columns of a new lead arriving at ``at``: new, or marketing-qualified when
    the published definition's rule for that stage holds for it
    (``Definition.starts_marketing_qualified``)."""
    if marketing_qualified:
        return {
            "stage": Stage.MARKETING_QUALIFIED,
            "stage_changed_at": at,
            "marketing_qualified_at": at,
        }
    return {"stage": NEW_LEAD, "stage_changed_at": at, "marketing_qualified_at": None}


def as_stored(stage: Stage, *, at: datetime) -> dict[str, Any]:
    """The stage columns of a lead written straight into ``stage`` as of ``at``: demo data,
    made up with its whole past in one insert."""
    return {
        "stage": stage.value,
        "stage_changed_at": at,
        "closed_at": at if stage in ENDED else None,
    }
