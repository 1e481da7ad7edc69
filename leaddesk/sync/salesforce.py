"""The Salesforce connector: each hand-off upserted as a Lead by its LeadDesk lead id (the
external-id field), with a Task for the call; never an Opportunity (sales converts the Lead).
Sales' answers are read back by a query (``salesforce_answers``), never written.

Exactly once: the upsert by external id makes a repeat send (after a timeout once Salesforce
had committed, a crash, a second worker) update the one Lead; a batch's call Tasks are looked
up by the hand-off their Subject names before the missing ones are made, in one query and one
create for up to 200 (``salesforce_tasks``), and a retry looks again. A lead that came from a
Salesforce export updates that Lead by its own id. Timeouts, 429 (after its Retry-After) and
5xx are retried with back-off (tenacity); an expired token means one fresh sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
)

from leaddesk.errors import InputError
from leaddesk.handoff.feedback import Decision
from leaddesk.sync.connector import CrmUnreachable, Outgoing, Sent
from leaddesk.sync.retry_policy import TryAgain, retried
from leaddesk.sync.salesforce_answers import answers_query, as_decision
from leaddesk.sync.salesforce_fields import lead_fields, mapping_problems
from leaddesk.sync.salesforce_login import TimedSession, Token, sign_in
from leaddesk.sync.salesforce_tasks import BATCH as TASKS
from leaddesk.sync.salesforce_tasks import log_calls
from leaddesk.sync.team_settings import SyncSettings

T = TypeVar("T")
BATCH = 200  # sObject Collections take up to 200 records per request
# What an update by Salesforce id says of a Lead deleted (or merged away) since the export.
GONE = {"ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "NOT_FOUND"}


def crm_words(content: Any) -> str:
    """Salesforce's error body ([{"message", "errorCode"}] or {"errors": [...]}) in words."""
    items = content if isinstance(content, list) else [content]
    words = []
    for item in items:
        if isinstance(item, dict):
            code = item.get("errorCode") or item.get("statusCode") or ""
            message = item.get("message") or ""
            fields = item.get("fields") or []
            where = f" ({', '.join(fields)})" if fields else ""
            words.append(f"{message}{where} [{code}]".strip())
        else:
            words.append(str(item))
    return "; ".join(w for w in words if w) or "Salesforce gave no reason"


class SalesforceConnector:
    name = "salesforce"
    label = "Salesforce"

    def __init__(
        self,
        settings: SyncSettings,
        client_secret: str,
        *,
        token: Token | None = None,
        on_token: Callable[[Token | None], None] = lambda _token: None,
        http: TimedSession | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self._secret = client_secret
        self._token = token
        self._on_token = on_token  # keeps a fresh token in the keyring, forgets a dead one
        self._http = http or TimedSession(ca_bundle=settings.ca_bundle)
        self._sleep = sleep
        self._sf: Salesforce | None = None

    # -- what the connector does ---------------------------------------------------------

    def send(self, batch: Sequence[Outgoing]) -> list[Sent]:
        """Per 200 hand-offs: one upsert of their Leads (one update of those that came from a
        Salesforce export), one query for their call Tasks, one create of the missing Tasks."""
        results: dict[int, Sent] = {}
        known = [item for item in batch if item.crm_id]
        by_external = [item for item in batch if not item.crm_id]
        for start in range(0, len(known), BATCH):
            updated, gone = self._update_known(known[start : start + BATCH])
            results.update((sent.lead_id, sent) for sent in updated)
            by_external += gone
        for start in range(0, len(by_external), BATCH):
            for sent in self._upsert(by_external[start : start + BATCH]):
                results[sent.lead_id] = sent
        items = {item.lead_id: item for item in batch}
        landed = [
            (items[lead_id], sent.crm_id)
            for lead_id, sent in results.items()
            if sent.ok and sent.crm_id
        ]
        for start in range(0, len(landed), TASKS):
            for sent in self._log_calls(landed[start : start + TASKS]):
                results[sent.lead_id] = sent
        return [results[item.lead_id] for item in batch if item.lead_id in results]

    def pull(self, since: datetime | None) -> list[Decision]:
        """Converted and turned-down Leads changed since ``since``; every page of the answer
        (``query_all`` follows ``nextRecordsUrl``). A refused query (a reason or comment field
        the org lacks) says so in words: nothing was read, nothing is recorded."""
        soql = answers_query(self.settings, since)
        try:
            found = self._call(lambda sf: sf.query_all(soql))
        except SalesforceError as error:
            raise InputError(
                f"Salesforce refused the query for sales' answers: {crm_words(error.content)}. "
                "An admin checks the fields it reads: leaddesk sync test"
            ) from error
        records = found.get("records", []) if isinstance(found, dict) else []
        decisions = [as_decision(record, self.settings) for record in records]
        return [decision for decision in decisions if decision is not None]

    def check(self) -> list[str]:
        describe = self._call(lambda sf: sf.restful("sobjects/Lead/describe"))
        described = describe if isinstance(describe, dict) else {}
        problems = mapping_problems(described, self.settings)
        names = {str(f.get("name")) for f in described.get("fields") or [] if isinstance(f, dict)}
        for what, name in (
            ("sales' reason", self.settings.reason_field),
            ("sales' comment", self.settings.comment_field),
        ):
            if name and name not in names:
                problems.append(
                    f"Lead has no field {name} for {what}; create it, or name another in "
                    "leaddesk sync setup salesforce"
                )
        return problems

    # -- the steps ------------------------------------------------------------------------

    def _update_known(self, chunk: Sequence[Outgoing]) -> tuple[list[Sent], list[Outgoing]]:
        """Leads from a Salesforce export: their own Leads updated by their Salesforce ids, in
        one sObject Collections update; those whose Lead is gone from the org are given back
        (to be upserted by the LeadDesk id)."""
        body = {
            "allOrNone": False,
            "records": [
                {
                    "attributes": {"type": "Lead"},
                    "Id": item.crm_id,
                    **lead_fields(item, self.settings),
                }
                for item in chunk
            ],
        }
        try:
            answer = self._call(
                lambda sf: sf.restful("composite/sobjects", method="PATCH", json=body)
            )
        except SalesforceError as error:
            words = crm_words(error.content)
            return [Sent(item.lead_id, error=words) for item in chunk], []
        sent: list[Sent] = []
        gone: list[Outgoing] = []
        for item, result in zip(chunk, answer if isinstance(answer, list) else [], strict=False):
            errors = (result.get("errors") if isinstance(result, dict) else None) or []
            codes = {e.get("statusCode") for e in errors if isinstance(e, dict)}
            if isinstance(result, dict) and result.get("success"):
                sent.append(Sent(item.lead_id, crm_id=str(item.crm_id)))
            elif codes & GONE:
                gone.append(item)
            else:
                sent.append(Sent(item.lead_id, error=crm_words(errors or result)))
        return sent, gone

    def _upsert(self, chunk: Sequence[Outgoing]) -> list[Sent]:
        body = {
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Lead"}, **lead_fields(item, self.settings)}
                for item in chunk
            ],
        }
        path = f"composite/sobjects/Lead/{self.settings.external_id_field}"
        try:
            answer = self._call(lambda sf: sf.restful(path, method="PATCH", json=body))
        except SalesforceError as error:
            words = crm_words(error.content)
            return [Sent(item.lead_id, error=words) for item in chunk]
        sent = []
        for item, result in zip(chunk, answer or [], strict=False):
            if isinstance(result, dict) and result.get("success"):
                sent.append(Sent(item.lead_id, crm_id=str(result.get("id"))))
            else:
                errors = result.get("errors") if isinstance(result, dict) else result
                sent.append(Sent(item.lead_id, error=crm_words(errors)))
        return sent

    def _log_calls(self, landed: Sequence[tuple[Outgoing, str]]) -> list[Sent]:
        """The call Tasks of hand-offs whose Leads landed; a Task refused holds its hand-off
        with Salesforce's words (its Lead is there: sending again adds only the Task)."""
        try:
            outcome = self._call(lambda sf: log_calls(sf, landed))
        except SalesforceError as error:
            outcome = {item.lead_id: error.content for item, _ in landed}
        sent = []
        for item, crm_id in landed:
            refused = outcome.get(item.lead_id)
            if refused is None:
                sent.append(Sent(item.lead_id, crm_id=crm_id))
            else:
                sent.append(
                    Sent(
                        item.lead_id,
                        error=f"Lead {crm_id} is in Salesforce, but its call Task was refused: "
                        f"{crm_words(refused)}",
                    )
                )
        return sent

    # -- calling Salesforce -------------------------------------------------------------

    def _client(self) -> Salesforce:
        if self._sf is None:
            if self._token is None:
                self._token = sign_in(
                    self._http, self.settings.login_url, self.settings.client_id, self._secret
                )
                self._on_token(self._token)
            self._sf = Salesforce(
                instance_url=self._token.instance_url,
                session_id=self._token.access_token,
                version=self.settings.api_version,
                session=self._http,
            )
        return self._sf

    def _call(self, op: Callable[[Salesforce], T]) -> T:
        """``op`` with retries; an expired token (401) means one fresh sign-in."""
        try:
            return self._retried(op)
        except SalesforceExpiredSession:
            self._sf, self._token = None, None
            self._on_token(None)
        try:
            return self._retried(op)
        except SalesforceExpiredSession as error:
            raise CrmUnreachable(
                f"Salesforce refused a fresh sign-in's token: {crm_words(error.content)}"
            ) from error

    def _retried(self, op: Callable[[Salesforce], T]) -> T:
        return retried(lambda: self._once(op), self._sleep)

    def _once(self, op: Callable[[Salesforce], T]) -> T:
        try:
            return op(self._client())
        except requests.Timeout as error:
            raise TryAgain("Salesforce did not answer in time.") from error
        except requests.ConnectionError as error:
            raise TryAgain("Salesforce cannot be reached (offline?).") from error
        except SalesforceExpiredSession:
            raise
        except SalesforceError as error:
            if error.status == 429 or error.status >= 500:
                raise TryAgain(
                    f"{_not_now('Salesforce', error.status)}: {crm_words(error.content)}",
                    self._http.retry_after,
                ) from error
            raise


def _not_now(crm: str, status: int) -> str:
    """What a 429 or a 5xx from the CRM means, in words (neither is "could not be reached")."""
    if status == 429:
        return f"{crm} is busy (429)"
    return f"{crm} failed on its side ({status})"
