"""``desk.sync``: the team's connection to sales' CRM: setting it up, checking it, sending
the hand-offs waiting in the outbox, and what is waiting (leaddesk/sync/, docs/sync.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from leaddesk.audit.actions import AuditAction
from leaddesk.desk.context import Audit, DeskContext
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff import Scope
from leaddesk.people.permissions import ROLE_LABEL, Action
from leaddesk.store.identity import store_code
from leaddesk.sync import outbox, secrets
from leaddesk.sync.choosing import NOT_SET_UP, make_connector
from leaddesk.sync.connector import CONNECTORS, Connector, CrmUnreachable
from leaddesk.sync.pulling import PullRun, pull_answers
from leaddesk.sync.sending import SyncRun, send_waiting
from leaddesk.sync.team_settings import (
    SyncSettings,
    default_settings,
    pulled_until,
    read_settings,
    save_settings,
    with_mapping,
)


@dataclass(frozen=True)
class HeldHandoff:
    lead_id: int
    error: str


@dataclass(frozen=True)
class SyncStatus:
    settings: SyncSettings | None
    waiting: int
    sent: int
    held: tuple[HeldHandoff, ...]
    pulled_until: datetime | None = None  # sales' answers read back up to here (sync pull)

    @property
    def line(self) -> str:
        """The status bar's words."""
        if self.settings is None:
            return ""
        parts = []
        if self.waiting:
            s = "" if self.waiting == 1 else "s"
            parts.append(f"{self.waiting} hand-off{s} waiting to sync")
        if self.held:
            parts.append(f"{len(self.held)} held by {self.settings.label}")
        return ", ".join(parts) or f"All hand-offs synced to {self.settings.label}"

    def as_json(self) -> dict[str, Any]:
        return {
            "settings": self.settings.as_json() if self.settings else None,
            "waiting": self.waiting,
            "sent": self.sent,
            "held": [{"lead_id": h.lead_id, "error": h.error} for h in self.held],
            "pulled_until": self.pulled_until.isoformat() if self.pulled_until else None,
        }


@dataclass(frozen=True)
class SyncCheck:
    connector: str
    problems: tuple[str, ...]
    unreachable: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.unreachable is None


class Sync:
    """``desk.sync``."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def setup(
        self,
        connector: str,
        *,
        login_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        api_version: str | None = None,
        folder: str | None = None,
        ca_bundle: str | None = None,
        mapping: dict[str, str] | None = None,
        rejected_statuses: list[str] | None = None,
        reason_field: str | None = None,
        comment_field: str | None = None,
        api_url: str | None = None,
        leads_object: bool | None = None,
    ) -> SyncSettings:
        """Choose the team's connector and its settings (an admin); the secret (Salesforce's
        client secret, HubSpot's private app token in ``client_secret``) goes to this
        computer's keyring, the rest (the field mapping too) into the store."""
        if connector not in CONNECTORS:
            raise InputError(
                f"No connector '{connector}'; use one of {', '.join(CONNECTORS)}.",
                field="connector",
            )
        at = self._ctx.clock()
        with self._ctx.write(
            Action.SET_UP_SYNC, audit=Audit(AuditAction.SYNC_SET_UP, connector)
        ) as session:
            old = read_settings(session)
            base = old if old is not None and old.connector == connector else None
            # A certificate to trust (a company proxy) is the computer's, whichever CRM.
            settings = base or replace(
                default_settings(connector), ca_bundle=old.ca_bundle if old else ""
            )
            given = {
                "login_url": login_url,
                "client_id": client_id,
                "api_version": api_version,
                "folder": folder,
                "ca_bundle": ca_bundle,
                "reason_field": reason_field,
                "comment_field": comment_field,
                "api_url": api_url,
            }
            for name, value in given.items():
                if value is not None:
                    settings = replace(settings, **{name: value.strip()})  # type: ignore[arg-type]
            if leads_object is not None:
                settings = replace(settings, leads_object=leads_object)
            settings = with_mapping(settings, mapping or {})
            if rejected_statuses:
                statuses = tuple(s.strip() for s in rejected_statuses if s.strip())
                settings = replace(settings, rejected_statuses=statuses)
            if connector == "files" and not settings.folder:
                raise InputError(
                    "Name the folder for the hand-off batches: --folder PATH", field="folder"
                )
            if connector == "salesforce" and not settings.client_id:
                raise InputError(
                    "Name the connected app's client id: --client-id ID", field="client_id"
                )
            code = store_code(session, at=at)
            if connector == "hubspot" and not (
                client_secret or secrets.recall(code, connector, secrets.PRIVATE_APP_TOKEN)
            ):
                raise InputError(
                    "Give the HubSpot private app's access token (it goes to this "
                    "computer's keyring): --token-file FILE, or type it when asked",
                    field="token",
                )
            save_settings(session, settings, user_id=self._ctx.actor.id, at=at)
        if client_secret:
            secrets.remember(code, connector, secrets.secret_name(connector), client_secret)
        secrets.forget(code, connector, secrets.ACCESS_TOKEN)  # signed in afresh, wherever
        return settings

    def settings(self) -> SyncSettings | None:
        with self._ctx.read(None) as session:
            return read_settings(session)

    def status(self) -> SyncStatus:
        with self._ctx.read(None) as session:
            counts = outbox.counts(session)
            return SyncStatus(
                read_settings(session),
                counts[outbox.WAITING],
                counts[outbox.SENT],
                tuple(HeldHandoff(r.lead_id, r.error or "") for r in outbox.held_rows(session)),
                pulled_until(session),
            )

    def check(self) -> SyncCheck:
        """Sign in and compare the field mapping with the CRM's own description of a Lead."""
        self._ctx.require_any(Action.SET_UP_SYNC, Action.SYNC_HANDOFFS)
        connector = self._connector()
        try:
            return SyncCheck(connector.name, tuple(connector.check()))
        except CrmUnreachable as error:
            return SyncCheck(connector.name, (), str(error))

    def run(self, *, send_held_again: bool = False) -> SyncRun:
        """Send every hand-off waiting in the outbox (the window's worker, ``sync run``)."""
        self._ctx.require(Action.SYNC_HANDOFFS)
        if send_held_again:
            with self._ctx.write(None) as session:
                outbox.send_held_again(session)
        return send_waiting(
            self._ctx.store,
            self._connector(),
            clock=self._ctx.clock,
            actor_id=self._ctx.actor.id,
        )

    def pull(self) -> PullRun:
        """Read back what sales did in the CRM since the last pull and record it (``sync
        pull``, the salesperson's window). A salesperson's act: it records opportunities."""
        if not self._ctx.can(Action.RECORD_OPPORTUNITY):
            actor = self._ctx.actor
            raise NotPermitted(
                f"{actor.name} is {ROLE_LABEL[actor.role]} and cannot pull sales' answers: "
                "they record opportunities, which only a salesperson does. Run it as one: "
                "--as NAME."
            )
        return pull_answers(
            self._ctx.store,
            self._connector(),
            actor_id=self._ctx.actor.id,
            clock=self._ctx.clock,
        )

    def _connector(self) -> Connector:
        with self._ctx.write(None) as session:
            settings = read_settings(session)
            if settings is None:
                raise InputError(NOT_SET_UP)
            code = store_code(session, at=self._ctx.clock())
        scope = Scope.TEAM if self._ctx.can(Action.EXPORT_TEAM) else Scope.OWN
        return make_connector(
            self._ctx.store,
            settings,
            store_code=code,
            actor_id=self._ctx.actor.id,
            scope=scope,
            clock=self._ctx.clock,
        )
