"""The files connector: today's batch folder (CSV in Salesforce's lead-import shape, JSON
Lines, XLSX, manifest) behind the same interface, so a team without a CRM connection keeps
working offline. It wraps ``leaddesk.handoff`` export as it is: a lead is in one batch only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from leaddesk.errors import InputError
from leaddesk.handoff import Scope, export
from leaddesk.handoff.feedback import Decision
from leaddesk.store import Store
from leaddesk.store.models import HandoffBatch, Lead
from leaddesk.sync.connector import Outgoing, Sent


class FilesConnector:
    name = "files"
    label = "Files"

    def __init__(
        self,
        store: Store,
        *,
        folder: str,
        actor_id: int | None,
        scope: Scope,
        clock: Callable[[], datetime],
        xlsx: bool = True,
    ) -> None:
        self._store = store
        self._folder = Path(folder) if folder else None
        self._actor_id = actor_id
        self._scope = scope
        self._clock = clock
        self._xlsx = xlsx

    def send(self, batch: Sequence[Outgoing]) -> list[Sent]:
        folder = self._require_folder()
        export(
            self._store,
            actor_id=self._actor_id,
            out_dir=folder,
            scope=self._scope,
            xlsx=self._xlsx,
            at=self._clock(),
        )
        wanted = [item.lead_id for item in batch]
        with self._store.reading() as session:
            codes: dict[int, str] = {
                lead_id: code
                for lead_id, code in session.execute(
                    select(Lead.id, HandoffBatch.code)
                    .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
                    .where(Lead.id.in_(wanted))
                ).tuples()
            }
        return [
            Sent(lead_id, crm_id=codes[lead_id])
            if lead_id in codes
            else Sent(
                lead_id,
                error="No batch took this lead: it is not waiting for sales any more, or it "
                "is a colleague's (a team lead's run exports the whole team).",
            )
            for lead_id in wanted
        ]

    def pull(self, since: datetime | None) -> list[Decision]:
        """Nothing to read: a batch folder is one way. Sales' answers to it come back as a
        file (LeadDesk's template, a Salesforce converted-leads report, a HubSpot export)
        through ``leaddesk feedback FILE`` or the window's Record sales feedback."""
        return []

    def check(self) -> list[str]:
        folder = self._require_folder()
        if folder.exists() and not folder.is_dir():
            return [f"{folder} is a file; name a folder for the hand-off batches."]
        return []

    def _require_folder(self) -> Path:
        if self._folder is None:
            raise InputError(
                "The files sync has no folder; run: leaddesk sync setup files --folder PATH",
                field="folder",
            )
        return self._folder
