"""What people asked of us: the do-not-call list and erasure."""

from __future__ import annotations

from pathlib import Path

from leaddesk.desk.context import DeskContext
from leaddesk.intake import do_not_call_file
from leaddesk.people.permissions import Action
from leaddesk.privacy import do_not_call, erasure
from leaddesk.queue.policy import current_policy


class Privacy:
    """``desk.privacy``: the do-not-call list and erasure."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def add_do_not_call(self, phone_or_email: str, reason: str) -> do_not_call.Added:
        """Put a phone number or email on the team's list: everyone who has it is flagged
        do-not-call and their open leads are held, in one transaction with an audit event.
        Anyone with a call queue may (they heard it on a call), and team leads and admins."""
        with self._ctx.write(Action.ADD_DO_NOT_CALL) as session:
            return do_not_call.add_entry(
                session,
                phone_or_email,
                reason=reason,
                actor_id=self._ctx.actor.id,
                at=self._ctx.clock(),
                region=current_policy(session).default_phone_region,
            )

    def import_do_not_call(
        self, path: Path, *, reason: str | None = None, encoding: str | None = None
    ) -> do_not_call.Added:
        """Put every phone number and email of a CSV/XLSX file on the list, all or none."""
        with self._ctx.write(Action.MANAGE_DO_NOT_CALL) as session:
            return do_not_call_file.import_entries(
                session,
                Path(path),
                reason=reason,
                actor_id=self._ctx.actor.id,
                at=self._ctx.clock(),
                region=current_policy(session).default_phone_region,
                encoding=encoding,
            )

    def remove_do_not_call(self, what: str | int) -> do_not_call.Removed:
        """Take a phone number or email (or entry id) off the list; nobody is un-flagged."""
        with self._ctx.write(Action.MANAGE_DO_NOT_CALL) as session:
            return do_not_call.remove_entry(
                session,
                what,
                actor_id=self._ctx.actor.id,
                at=self._ctx.clock(),
                region=current_policy(session).default_phone_region,
            )

    def do_not_call_list(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[do_not_call.Entry]:
        """The list, newest first."""
        with self._ctx.read(Action.MANAGE_DO_NOT_CALL) as session:
            return do_not_call.entries(session, limit=limit, offset=offset)

    def count_do_not_call(self) -> int:
        with self._ctx.read(Action.MANAGE_DO_NOT_CALL) as session:
            return do_not_call.count_entries(session)

    def erase_person(self, who: str | int, reason: str) -> erasure.Erased:
        """Erase the person named by a lead id, an email or a phone number: their personal
        data blanked, their open leads closed, their email and phone kept on the
        do-not-call list as digests only. Team leads and admins."""
        with self._ctx.write(Action.ERASE_PERSON) as session:
            region = current_policy(session).default_phone_region
            person = erasure.find_person(session, str(who), region)
            return erasure.erase_person(
                session, person, reason=reason, actor_id=self._ctx.actor.id, at=self._ctx.clock()
            )
