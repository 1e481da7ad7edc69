"""One window per person per store: a second is refused or takes over; the first then stops."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.sign_in.windows import EXPIRES, WindowTaken, WindowTakenOver
from leaddesk.store.models import DoNotCallEntry


def _team(location: str, clock: FixedClock) -> None:
    with setup_desk(location, clock=clock) as desk:
        desk.admin.prepare_store()
        desk.people.add("rep1", Role.QUALIFIER)
        desk.people.add("rep2", Role.QUALIFIER)


def test_a_second_window_of_the_same_rep_is_refused_naming_who_holds_it(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "rep1", clock=clock) as first:
        first.people.claim_window()
        with open_desk(store_location, "rep1", clock=clock) as second:
            with pytest.raises(WindowTaken) as refused:
                second.people.claim_window()
            assert second.window is None
        assert refused.value.holder.pid == first.window.pid  # type: ignore[union-attr]
        assert f"process {first.window.pid}" in refused.value.message  # type: ignore[union-attr]
        assert "already has LeadDesk open" in refused.value.message
        assert refused.value.exit_code == 4
        # Another rep's window on the same store is no business of rep1's.
        with open_desk(store_location, "rep2", clock=clock) as colleague:
            colleague.people.claim_window()


def test_a_window_that_takes_over_stops_the_first_from_writing(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    first = open_desk(store_location, "rep1", clock=clock)
    first.people.claim_window()
    with open_desk(store_location, "rep1", clock=clock) as second:
        second.people.claim_window(take_over=True)
        with pytest.raises(WindowTakenOver, match=r"taken over by a window on .* Close it"):
            first.people.keep_window()
        with pytest.raises(WindowTakenOver):
            first.privacy.add_do_not_call("+12125550100", "asked on the phone")
        with pytest.raises(WindowTakenOver):
            first.queue.release(1)  # the claims' own fast transaction is guarded too
        # The window that took over works, and the CLI (no window) is never blocked.
        second.privacy.add_do_not_call("+12125550101", "asked on the phone")
        with open_desk(store_location, "rep1", clock=clock) as cli:
            cli.privacy.add_do_not_call("+12125550102", "asked by email")
        first.close()  # closing the old window leaves the new one's lease alone
        second.people.keep_window()
        with second.store.reading() as session:
            listed = session.scalars(select(DoNotCallEntry.value)).all()
        assert sorted(listed) == ["+12125550101", "+12125550102"]


def test_a_crashed_windows_lease_expires_so_a_restart_is_not_blocked(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    crashed = open_desk(store_location, "rep1", clock=clock)
    crashed.people.claim_window()
    crashed.store.close()  # the process died: no heartbeat, no goodbye
    clock.advance(seconds=EXPIRES.total_seconds() - 1)
    with open_desk(store_location, "rep1", clock=clock) as restart:
        with pytest.raises(WindowTaken):
            restart.people.claim_window()
        clock.advance(seconds=2)
        restart.people.claim_window()
        restart.people.keep_window()


def test_a_beating_window_keeps_its_lease_and_closing_gives_it_back(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "rep1", clock=clock) as first:
        first.people.claim_window()
        for _ in range(5):
            clock.advance(seconds=EXPIRES.total_seconds() / 2)
            first.people.keep_window()
        with open_desk(store_location, "rep1", clock=clock) as second, pytest.raises(WindowTaken):
            second.people.claim_window()
    with open_desk(store_location, "rep1", clock=clock) as after:
        after.people.claim_window()  # closed: free at once
