"""An import can be undone after reps only looked at its leads (claimed and let go, skipped)
and the sweep only flagged them as untouched: the leads go with their skips, the looks' and
flags' audit events stay without their lead. A lead open at a rep's desk now, or worked (a
call, a team lead's move), keeps the import, flagged or not, and the refusal says who has it
or how many leads were worked and how. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.audit.actions import LOOK_ACTIONS, UNTOUCHED_FLAG_ACTIONS, AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import ContactDetails, Desk, open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict
from leaddesk.store import Store
from leaddesk.store.models import AuditEvent, Lead, QueueSkip, User
from leaddesk.team.reassign import LeadPick
from tests.factories import inquiries_file


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def _imported(lead1: Desk, tmp_path: Path, people: int = 3) -> int:
    summary = lead1.intake.import_file(inquiries_file(tmp_path / "leads.csv", people))
    assert summary.counts.created == people and summary.run_id is not None
    return summary.run_id


def _leads_of(store: Store) -> dict[str, list[int]]:
    """The imported leads by the rep they were given to."""
    with store.reading() as session:
        rows = session.execute(
            select(User.name, Lead.id).join(User, User.id == Lead.assigned_to_id).order_by(Lead.id)
        ).tuples()
        given: dict[str, list[int]] = {}
        for name, lead_id in rows:
            given.setdefault(name, []).append(lead_id)
        return given


def _count(store: Store, model: type) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_leads_only_claimed_and_skipped_are_undone_with_their_skips(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    with open_desk(store_location, "rep1", clock=clock) as rep:
        taken = rep.queue.next()  # the window shows it: claimed
        assert taken is not None
        rep.queue.skip(taken.lead_id)  # "skip for now" lets the claim go
        looked = rep.queue.next()
        assert looked is not None and looked.lead_id != taken.lead_id
        assert rep.queue.release(looked.lead_id)  # seen, and given back untouched
    with open_desk(store_location, "rep2", clock=clock) as other:
        theirs = other.queue.next()
        assert theirs is not None
        other.queue.skip(theirs.lead_id)
    assert _count(store, QueueSkip) == 2
    with store.reading() as session:
        look_events = dict(
            session.execute(
                select(AuditEvent.id, AuditEvent.lead_id).where(
                    AuditEvent.action.in_(sorted(LOOK_ACTIONS))
                )
            )
            .tuples()
            .all()
        )
    assert sorted(set(look_events.values())) == sorted(
        {taken.lead_id, looked.lead_id, theirs.lead_id}
    )

    undone = lead1.intake.undo(run_id)

    assert (undone.leads_removed, undone.people_removed, undone.looked_at) == (3, 3, 3)
    assert _count(store, Lead) == _count(store, QueueSkip) == 0
    with store.reading() as session:
        kept = dict(
            session.execute(
                select(AuditEvent.id, AuditEvent.lead_id).where(
                    AuditEvent.id.in_(sorted(look_events))
                )
            )
            .tuples()
            .all()
        )
        record = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.IMPORT_UNDONE.value)
        ).one()
    # The looks stay in the trail, no longer pointing at a lead that is gone ...
    assert kept == {event_id: None for event_id in look_events}
    # ... and the undo's own event says which lead each was at.
    assert record.details is not None
    said = {int(lead): ids for lead, ids in record.details["looks"].items()}
    assert said == {
        lead_id: sorted(event for event, at in look_events.items() if at == lead_id)
        for lead_id in set(look_events.values())
    }
    assert record.details["looked_at"] == 3


def test_a_lead_open_at_a_reps_desk_keeps_the_import_and_names_them(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    with open_desk(store_location, "rep2", clock=clock) as rep:
        held = rep.queue.next()  # on the phone with it, maybe
        assert held is not None
        with pytest.raises(Conflict) as refused:
            lead1.intake.undo(run_id)
        assert f"rep2 has lead #{held.lead_id} open" in refused.value.message
        assert "cannot be undone" in refused.value.message
        assert refused.value.exit_code == 4
        assert _count(store, Lead) == 3
        rep.queue.release(held.lead_id)  # they moved on: nothing of theirs is lost now
    assert lead1.intake.undo(run_id).leads_removed == 3
    assert _count(store, Lead) == 0


def test_a_logged_call_keeps_the_import_and_the_refusal_says_how_many_and_what(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    given = _leads_of(store)
    called, skipped = given["rep1"][0], given["rep1"][1]
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.log(called, CallOutcome.NO_ANSWER)
        rep.queue.skip(skipped)
    with pytest.raises(Conflict) as refused:
        lead1.intake.undo(run_id)
    assert refused.value.message.startswith(
        f"1 lead(s) from leads.csv have calls since the import (e.g. lead #{called})"
    )
    assert _count(store, Lead) == 3 and _count(store, QueueSkip) == 1

    moved = given["rep2"][0]
    lead1.team.reassign(LeadPick(lead_ids=(moved,)), to_user="rep1", reason="rep2 is away")
    with pytest.raises(Conflict) as refused:
        lead1.intake.undo(run_id)
    first = min(called, moved)
    assert refused.value.message.startswith(
        f"2 lead(s) from leads.csv have calls or moves by a team lead since the import "
        f"(e.g. lead #{first})"
    )
    assert _count(store, Lead) == 3 and _count(store, QueueSkip) == 1


def test_a_reps_note_or_a_contact_correction_keeps_the_import(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    noted, corrected = _leads_of(store)["rep1"][:2]
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.save_note(noted, "Call after the trade fair")
        rep.calls.change_contact(corrected, ContactDetails(title="Head of Operations"))
    with pytest.raises(Conflict) as refused:
        lead1.intake.undo(run_id)
    assert refused.value.message.startswith(
        "2 lead(s) from leads.csv have notes or other history (contact changed) since the "
        f"import (e.g. lead #{min(noted, corrected)})"
    )
    assert _count(store, Lead) == 3


def _flag_events(store: Store) -> dict[int, int | None]:
    """The sweep's untouched-flag events (put on, taken off): event -> its lead."""
    with store.reading() as session:
        return dict(
            session.execute(
                select(AuditEvent.id, AuditEvent.lead_id)
                .where(AuditEvent.action.in_(sorted(UNTOUCHED_FLAG_ACTIONS)))
                .order_by(AuditEvent.id)
            )
            .tuples()
            .all()
        )


def _swept_untouched(lead1: Desk, clock: FixedClock, leads: list[int]) -> None:
    """Nobody touches the leads for 26 business hours (Wednesday 10:00 to Monday 12:00 in
    New York); the team lead's sweep flags them all."""
    clock.advance(hours=122)
    assert sorted(lead1.team.sweep().flagged) == sorted(leads)


def test_leads_the_sweep_flagged_as_untouched_are_undone_and_the_flags_stay(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    given = _leads_of(store)
    leads = sorted(lead for owned in given.values() for lead in owned)
    _swept_untouched(lead1, clock, leads)
    # A retry that comes due later takes the flag off again, with nothing else done to the
    # lead (set in the store directly: the calls that set one in the window are work).
    waiting = given["rep1"][0]
    with store.transaction() as session:
        lead = session.get(Lead, waiting)
        assert lead is not None
        lead.next_attempt_at = clock() + timedelta(hours=2)
    clock.advance(minutes=5)
    assert lead1.team.sweep().unflagged == (waiting,)
    with open_desk(store_location, "rep2", clock=clock) as rep:
        rep.queue.skip(given["rep2"][0])  # a look besides
    flags = _flag_events(store)
    assert sorted(flags.values()) == sorted([*leads, waiting])  # 3 flags, 1 taken off

    undone = lead1.intake.undo(run_id)

    assert (undone.leads_removed, undone.people_removed) == (3, 3)
    assert (undone.flagged, undone.looked_at) == (3, 1)
    assert _count(store, Lead) == _count(store, QueueSkip) == 0
    # The flags stay in the trail, no longer pointing at a lead that is gone ...
    assert _flag_events(store) == {event_id: None for event_id in flags}
    with store.reading() as session:
        record = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.IMPORT_UNDONE.value)
        ).one()
    # ... and the undo's own event says which lead each was at, apart from the looks.
    assert record.details is not None
    said = {int(lead): ids for lead, ids in record.details["flags"].items()}
    assert said == {
        lead_id: sorted(event for event, at in flags.items() if at == lead_id) for lead_id in leads
    }
    assert list(record.details["looks"]) == [str(given["rep2"][0])]
    assert (record.details["flagged"], record.details["looked_at"]) == (3, 1)


def test_a_flagged_lead_worked_since_keeps_the_import_and_the_refusal_names_only_the_work(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    run_id = _imported(lead1, tmp_path)
    given = _leads_of(store)
    leads = sorted(lead for owned in given.values() for lead in owned)
    _swept_untouched(lead1, clock, leads)
    called, moved = given["rep1"][0], given["rep2"][0]
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.log(called, CallOutcome.NO_ANSWER)
    lead1.team.reassign(LeadPick(lead_ids=(moved,)), to_user="rep1", reason="rep2 is away")
    clock.advance(minutes=5)
    assert lead1.team.sweep().unflagged == (called,)  # the move took its flag off itself
    flags = _flag_events(store)

    with pytest.raises(Conflict) as refused:
        lead1.intake.undo(run_id)

    assert refused.value.message.startswith(
        f"2 lead(s) from leads.csv have calls or moves by a team lead since the import "
        f"(e.g. lead #{min(called, moved)}): the import cannot be undone."
    )
    assert "flag" not in refused.value.message and "other history" not in refused.value.message
    assert _count(store, Lead) == 3
    assert _flag_events(store) == flags  # every flag still on its lead
