"""The one interface between LeadDesk and a sales CRM, and what crosses it.

A connector sends hand-offs (each an ``Outgoing``: the lead as sales sees it, and the CRM
record it came from, if any) and says, per lead, what the CRM kept (``Sent``); it reads back
what sales did since a moment (``pull``: each answer a ``Decision``, keyed by the LeadDesk id
and the CRM's own id). It never creates an opportunity or a deal. HubSpot fits the same
shape: its ``send`` upserts a contact by email and adds its lead object and a note, its
``crm_id`` the lead object's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leaddesk.handoff.feedback import Decision
from leaddesk.handoff.records import HandoffRecord

CONNECTORS = {"files": "Files", "salesforce": "Salesforce", "hubspot": "HubSpot"}


@dataclass(frozen=True)
class Outgoing:
    """One hand-off to send: the lead as sales will see it, and the CRM's own id for it when
    the lead came in from that CRM's export (so the same record is updated, not a new one)."""

    lead_id: int
    record: HandoffRecord
    crm_id: str | None = None


@dataclass(frozen=True)
class Sent:
    """What the CRM said about one hand-off: its record id, or why it kept nothing."""

    lead_id: int
    crm_id: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class CrmUnreachable(Exception):
    """The CRM did not answer (offline, timeouts, rate limit or server errors past the
    retries): nothing is lost, the hand-offs wait for the next run."""


class Connector(Protocol):
    """What every connector does; chosen per team by an admin (``leaddesk sync setup``)."""

    name: str  # "salesforce"
    label: str  # "Salesforce", as users read it

    def send(self, batch: Sequence[Outgoing]) -> list[Sent]:
        """Put each hand-off in the CRM, once: sending one again updates the same record."""
        ...

    def pull(self, since: datetime | None) -> list[Decision]:
        """Sales' answers on the hand-offs changed in the CRM since ``since`` (all, if None):
        converted with an opportunity → accepted, turned down → rejected with the CRM's
        reason as sales gave it (matched to the definition's reasons when applied)."""
        ...

    def check(self) -> list[str]:
        """What is wrong with the settings, in words saying what to do; empty if all is fine."""
        ...
