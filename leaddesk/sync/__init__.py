"""Sending hand-offs to sales' CRM as they happen (docs/sync.md, docs/architecture.md §6).

* ``connector``: the one small interface every connector meets (send a batch of hand-offs and
  check the settings; pulling sales' answers back comes next), with ``files`` (the batch
  folder) and ``salesforce`` (REST upsert of a Lead by the LeadDesk lead id) behind it.
* ``outbox``: a hand-off verdict queues its lead in the verdict's own transaction; a worker
  claims rows with a lease, so two never send one row at once.
* ``sending``: one pass of the worker: claim, send, record what the CRM said.
* ``team_settings`` and ``secrets``: the team's connector and field mapping live in the store;
  passwords and tokens only in the OS keyring.

No connector has a way to create an opportunity or a deal: that stays sales' act.
"""

from leaddesk.sync.connector import (
    CONNECTORS,
    Connector,
    CrmUnreachable,
    Outgoing,
    Sent,
)

__all__ = ["CONNECTORS", "Connector", "CrmUnreachable", "Outgoing", "Sent"]
