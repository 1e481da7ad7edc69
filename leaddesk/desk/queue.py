"""The rep's call queue: a page of it, the next lead, claims, search, a lead's file."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from leaddesk import queue as call_queue
from leaddesk.desk.context import DeskContext
from leaddesk.domain import WITH_SALES
from leaddesk.errors import InputError, NotPermitted
from leaddesk.people.permissions import Action

# What only some of the methods need is imported in them: `leaddesk queue` lists a page
# without loading lead files, search, skips or the team's moves.
if TYPE_CHECKING:
    from leaddesk.leads import lead_file as lead_files
    from leaddesk.leads import lists as lead_reads
    from leaddesk.queue import outlook as queue_outlooks
    from leaddesk.queue.arrivals import QueueMark
    from leaddesk.queue.skipping import Skipped


class Queue:
    """``desk.queue``: the acting rep's call queue, the leads in it and the claims on them."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def my_open_leads(self, *, limit: int = 50, offset: int = 0) -> list[lead_reads.LeadSummary]:
        """The acting rep's open leads, newest interest first, one page at a time."""
        from leaddesk.leads import lists as lead_reads

        with self._ctx.read(Action.WORK_QUEUE) as session:
            return lead_reads.my_open_leads(session, self._ctx.user_id, limit=limit, offset=offset)

    def count_my_open_leads(self) -> int:
        from leaddesk.leads import lists as lead_reads

        with self._ctx.read(Action.WORK_QUEUE) as session:
            return lead_reads.count_my_open_leads(session, self._ctx.user_id)

    def lead_file(self, lead_id: int) -> lead_files.LeadFile:
        """Person, account, this interest, earlier leads and the timeline, in one read.
        Sales read the leads handed to them, not the ones still being qualified; marketing
        reads any lead without the reps' own words (notes, call notes, verdict reasons)."""
        from leaddesk.leads import lead_file as lead_files

        team_wide = any(
            self._ctx.can(action)
            for action in (Action.WORK_QUEUE, Action.VIEW_TEAM, Action.READ_OUTCOMES)
        )
        words = self._ctx.can(Action.READ_FREE_TEXT)
        with self._ctx.read(None if team_wide else Action.READ_HANDOFFS) as session:
            found = lead_files.read_lead_file(session, lead_id, free_text=words)
        # Sales keep reading a lead they answered, wherever its reject reason sent it.
        if not team_wide and found.stage not in WITH_SALES and found.sales_answer is None:
            raise NotPermitted(f"Lead {lead_id} has not been handed to sales.")
        return found

    def page(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        band: call_queue.Band | None = None,
        source: str | None = None,
    ) -> list[call_queue.QueueRow]:
        """One page of the acting rep's call queue, best first; each row says why it is there."""
        with self._ctx.read_rows(Action.WORK_QUEUE) as connection:
            return call_queue.queue_page(
                connection,
                self._ctx.user_id,
                self._ctx.clock(),
                limit=limit,
                offset=offset,
                band=band,
                source=source,
            )

    def callbacks_ahead(self, *, days: int = 7) -> list[call_queue.QueueRow]:
        """The callbacks the acting rep has booked for the next ``days`` days (late ones still
        open first), soonest first: their agenda."""
        from leaddesk.queue.callbacks_ahead import callbacks_ahead as booked_callbacks

        if not 1 <= days <= 366:
            raise InputError("give a number of days from 1 to 366", field="days")
        with self._ctx.read(Action.WORK_QUEUE) as session:
            return booked_callbacks(session, self._ctx.user_id, self._ctx.clock(), days=days)

    def arrivals(
        self, mark: QueueMark | None = None
    ) -> tuple[list[call_queue.QueueRow], QueueMark]:
        """What came due or came to the acting rep since ``mark`` and can be called now
        (callbacks whose time has come, leads a colleague handed over, new pool leads), in
        queue order, with the mark for the next ask. Without a mark: nothing yet, the mark."""
        from leaddesk.queue.arrivals import arrivals, mark_now

        at = self._ctx.clock()
        with self._ctx.read(Action.WORK_QUEUE) as session:
            if mark is None:
                return [], mark_now(session, at)
            return arrivals(session, self._ctx.user_id, mark, at)

    def outlook(self) -> queue_outlooks.QueueOutlook:
        """For an empty queue: are there leads at all, and when does the next come due."""
        from leaddesk.queue import outlook as queue_outlooks

        with self._ctx.read(Action.WORK_QUEUE) as session:
            return queue_outlooks.queue_outlook(session, self._ctx.user_id, self._ctx.clock())

    def next(self) -> call_queue.QueueRow | None:
        """Claim the top of the queue for the acting rep; None when nothing is callable now."""
        # Reads the queue in a snapshot, then claims in a short write transaction of its own.
        store = self._ctx.store_for(Action.WORK_QUEUE)
        return call_queue.next_lead(store, self._ctx.user_id, self._ctx.clock())

    def renew_claim(self, lead_id: int) -> datetime:
        """Keep (or take) the claim on the lead the rep has open; when it now expires."""
        with self._ctx.write(Action.WORK_QUEUE, lease=True) as session:
            return call_queue.renew(
                session,
                lead_id,
                user_id=self._ctx.user_id,
                at=self._ctx.clock(),
                any_owner=self._ctx.can(Action.REASSIGN),
            )

    def release(self, lead_id: int) -> bool:
        """Give a claimed lead back to the queue; False if it was not claimed."""
        from leaddesk.team import reassign as team_reassign

        at = self._ctx.clock()
        with self._ctx.write(Action.WORK_QUEUE, lease=True) as session:
            released = call_queue.release(
                session,
                lead_id,
                user_id=self._ctx.user_id,
                at=at,
                any_holder=self._ctx.can(Action.REASSIGN),
            )
            # A team lead's move that waited for this call happens now, not at the next sweep.
            team_reassign.move_after_call(session, lead_id, at=at)
            return released

    def skip(self, lead_id: int) -> Skipped:
        """ "Skip for now": the lead waits behind the next few of the acting rep's queue, no
        call logged (a claim on it is let go); audited."""
        from leaddesk.queue.skipping import skip_for_now

        with self._ctx.write(Action.WORK_QUEUE, lease=True) as session:
            return skip_for_now(
                session,
                lead_id,
                user_id=self._ctx.user_id,
                at=self._ctx.clock(),
                any_owner=self._ctx.can(Action.REASSIGN),
            )

    def search(
        self, text: str, *, limit: int = 50, closed: bool = False
    ) -> list[call_queue.QueueRow]:
        """Open leads matching a name, company, email or phone prefix that the rep may work;
        with ``closed``, their closed leads after them (newest first), each saying how it
        ended."""
        from leaddesk.queue import search as lead_search

        # On the bare connection: a Session's own cost was most of an e-mail's or a phone's
        # search (one row found by the index).
        with self._ctx.read_rows(Action.WORK_QUEUE) as connection:
            return lead_search.search_leads(
                connection,
                self._ctx.user_id,
                text,
                self._ctx.clock(),
                limit=limit,
                any_owner=self._ctx.can(Action.REASSIGN),
                closed=closed,
            )

    def lead_row(self, lead_id: int) -> call_queue.QueueRow | None:
        """One lead as the acting rep's queue shows it (``blocked`` says why it cannot be
        called now), e.g. a lead just added by hand, to work at once."""
        from leaddesk.queue import search as lead_search

        with self._ctx.read(Action.WORK_QUEUE) as session:
            return lead_search.lead_row(session, lead_id, self._ctx.user_id, self._ctx.clock())
