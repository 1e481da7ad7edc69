"""Looking after the store: making it ready, backups and restores, database logins."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from leaddesk.admin import backup_restore, backups, restoring
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import versions as definition_versions
from leaddesk.desk.context import Audit, DeskContext
from leaddesk.people import users as user_ops
from leaddesk.people.permissions import Action
from leaddesk.store import grants
from leaddesk.store.database import default_backup_folder


class Admin:
    """``desk.admin``: the store itself: made ready, backed up, restored; database logins."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def prepare_store(self) -> definition_versions.PublishedVersion:
        """Make a new store ready to work: the shipped lead definition becomes version 1 if
        nothing is published yet (what ``leaddesk init`` and the first profile do)."""
        with self._ctx.write(Action.MANAGE_STORE) as session:
            return definition_versions.ensure_default(session, at=self._ctx.clock())

    def take_backup(
        self, destination: Path | str | None = None, progress: backups.Progress | None = None
    ) -> backups.BackupSummary:
        """Every row of the store to one file (the default backup folder unless named; a
        path ending in a slash names a folder)."""
        store = self._ctx.store_for(Action.MANAGE_STORE)
        at = self._ctx.clock()
        path = backups.backup_path(destination, default_backup_folder(), at)
        summary = backups.take_backup(
            store,
            path,
            taken_by=self._ctx.actor.name,
            at=at,
            progress=progress or (lambda _done, _total: None),
        )
        details: dict[str, object] = {"rows": sum(summary.rows.values()), "bytes": summary.size}
        self._ctx.record(Audit(AuditAction.BACKUP_TAKEN, path.name, details, at=at))
        return summary

    def restore(
        self,
        source: Path,
        target: str,
        *,
        dry_run: bool = False,
        progress: backups.Progress | None = None,
        cancelled: restoring.Cancelled = restoring.never_cancelled,
    ) -> backup_restore.RestoreSummary:
        """The backup ``source`` into a new store at ``target`` (a new SQLite file or an empty
        PostgreSQL database); ``dry_run`` reads and checks it all and writes nothing."""
        self._ctx.require(Action.MANAGE_STORE)
        return restoring.restore(
            source,
            target,
            at=self._ctx.clock(),
            dry_run=dry_run,
            progress=progress or (lambda _done, _total: None),
            cancelled=cancelled,
        )

    def recent_backups(self, limit: int = 10) -> list[backups.BackupTaken]:
        with self._ctx.read(Action.MANAGE_STORE) as session:
            return backups.recent_backups(session, limit=limit)

    def set_database_login(self, name: str, password: str | None) -> bool:
        """Give a user a database login of their own (True when made now), or change its
        password; the grants are brought up to date first where they are not."""
        return self.set_database_logins({name: password})[name]

    def set_database_logins(self, passwords: Mapping[str, str | None]) -> dict[str, bool]:
        """``set_database_login`` for several users at once (user name: password, None to
        keep it), all or none, the grants looked at once: whether each login was made now."""
        made: dict[str, bool] = {}
        with self._ctx.write(Action.MANAGE_STORE) as session:
            users = [
                (name, user_ops.find_user(session, name), password)
                for name, password in passwords.items()
            ]
            connection = session.connection()
            grants.bring_grants_up_to_date(connection)
            for name, user, password in users:
                made[name] = grants.set_login(
                    connection, user.name, user.role, password=password, active=user.active
                )
                action = (
                    AuditAction.DATABASE_LOGIN_MADE
                    if made[name]
                    else AuditAction.DATABASE_LOGIN_CHANGED
                )
                details: dict[str, object] = {
                    "role": user.role.value,
                    "password_changed": password is not None,
                }
                self._ctx.record_in(session, Audit(action, f"user {user.name}", details))
        return made
