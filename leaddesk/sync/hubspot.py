"""The HubSpot connector (the official ``hubspot-api-client``): each hand-off puts its
contact in HubSpot (upserted by email, or the contact it came from by its Record ID), a lead
object on that contact carrying the LeadDesk lead id, and a note with everything the qualifier
learnt; a portal without the leads object gets the note and a completed call task instead.
Never a deal: sales creates that.

Exactly once: the lead object is read back by its unique ``leaddesk_lead_id`` before one is
made, the note and the task are found on the contact by their LeadDesk marker, so a repeat
send (after a timeout once HubSpot had committed, a crash, a second worker) updates them.
Up to 100 records go in each batch call. On a timeout, 429 (after HubSpot's Retry-After, or
its rate-limit policy) or 5xx the whole chunk goes again with the shared back-off: as every
step finds before it writes, no single create is ever blindly repeated. A refused private-app
token (401) stops the run with words saying what to do, as such a token never refreshes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import urllib3
from hubspot import HubSpot
from hubspot.crm.associations.v4.exceptions import ApiException as AssociationsError
from hubspot.crm.objects.exceptions import ApiException as ObjectsError
from hubspot.crm.properties.exceptions import ApiException as PropertiesError

from leaddesk.handoff.feedback import Decision
from leaddesk.sync import hubspot_fields as fields
from leaddesk.sync.connector import CrmUnreachable, Outgoing, Sent
from leaddesk.sync.hubspot_pull import QUALIFIED, as_decisions, changed_leads
from leaddesk.sync.retry_policy import TryAgain, retried
from leaddesk.sync.team_settings import SyncSettings

BATCH = 100  # HubSpot's batch endpoints take up to 100 inputs
TIMEOUT = 20.0
_API_ERRORS = (ObjectsError, AssociationsError, PropertiesError)
# HubSpot's 429 body names the limit hit; without a Retry-After, wait out its window.
_POLICY_WAITS = {"SECONDLY": 1.0, "TEN_SECONDLY_ROLLING": 10.0}
Body = dict[str, Any]


class HubSpotRefused(Exception):
    """HubSpot refused a whole batch call (4xx other than 401/429); its words."""


def chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def hubspot_words(body: Any, status: int | None = None) -> str:
    """HubSpot's error body ({"status": "error", "message", "category", ...}) in words."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            body = {"message": body.decode() if isinstance(body, bytes) else body}
    if not isinstance(body, dict):
        return f"HubSpot answered {status}" if status else "HubSpot gave no reason"
    message = str(body.get("message") or "").strip() or f"HubSpot answered {status}"
    category = body.get("category") or body.get("errorType")
    return f"{message} [{category}]" if category else message


def _trace_ids(error: Body) -> list[str]:
    context = error.get("context") or {}
    return [str(v) for v in context.get("objectWriteTraceId") or []]


class HubSpotConnector:
    name = "hubspot"
    label = "HubSpot"

    def __init__(
        self,
        settings: SyncSettings,
        token: str,
        *,
        sleep: Callable[[float], None] | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._timeout = timeout
        client = HubSpot(
            access_token=token,
            host=settings.api_url.rstrip("/"),
            ssl_ca_cert=settings.ca_bundle or None,
            retry=False,  # the shared back-off retries, not urllib3
        )
        self._objects = client.crm.objects.batch_api
        self._associations = client.crm.associations.v4.batch_api
        self._properties = client.crm.properties.core_api
        self._search = client.crm.objects.search_api

    # -- what the connector does ---------------------------------------------------------

    def send(self, batch: Sequence[Outgoing]) -> list[Sent]:
        results: dict[int, Sent] = {}
        for chunk in chunks(batch):
            # Each step finds before it writes, so a chunk cut short (a timeout after HubSpot
            # committed, a 429, a 5xx) is simply sent again, whole.
            def send_chunk(chunk: Sequence[Outgoing] = chunk) -> dict[int, Sent]:
                return self._send_chunk(chunk)

            try:
                results.update(retried(send_chunk, self._sleep))
            except HubSpotRefused as error:
                words = f"HubSpot refused it: {error} (see: leaddesk sync test)"
                results.update({i.lead_id: Sent(i.lead_id, error=words) for i in chunk})
        return [results[item.lead_id] for item in batch if item.lead_id in results]

    def check(self) -> list[str]:
        contact_properties = retried(
            lambda: self._request(self._properties.get_all, "contacts"), self._sleep
        )
        lead_id_property: Body | None = None
        if self.settings.leads_object:
            name = self.settings.external_id_field
            try:
                lead_id_property = retried(
                    lambda: self._request(self._properties.get_by_name, "leads", name),
                    self._sleep,
                )
            except HubSpotRefused:
                lead_id_property = None
        return fields.mapping_problems(
            list(contact_properties.get("results") or []), lead_id_property, self.settings
        )

    def pull(self, since: datetime | None) -> list[Decision]:
        """Sales' answers on LeadDesk's lead objects changed since ``since`` (all when None):
        reads only. A portal without the leads object has none to give."""
        if not self.settings.leads_object:
            return []
        try:
            return retried(lambda: self._pull(since), self._sleep)
        except HubSpotRefused as error:
            raise CrmUnreachable(f"HubSpot refused to say what sales did: {error}") from error

    def _pull(self, since: datetime | None) -> list[Decision]:
        leads = changed_leads(self._request, self._search.do_search, self.settings, since)
        qualified = [
            str(lead.get("id"))
            for lead in leads
            if (lead.get("properties") or {}).get("hs_pipeline_stage") == QUALIFIED
        ]
        made = self._associated("leads", "deals", qualified)  # the deal sales made of it
        first = {lead: deals[0] for lead, deals in made.items() if deals}
        amounts: dict[str, str | None] = {}
        for part in chunks(sorted(set(first.values()))):
            read: Body = {
                "properties": ["amount"],
                "propertiesWithHistory": [],
                "inputs": [{"id": d} for d in part],
            }
            for deal in self._request(self._objects.read, "deals", read).get("results") or []:
                amounts[str(deal.get("id"))] = (deal.get("properties") or {}).get("amount")
        deals = {lead: (deal, amounts.get(deal)) for lead, deal in first.items()}
        return as_decisions(leads, self.settings, deals)

    # -- the steps ------------------------------------------------------------------------

    def _send_chunk(self, chunk: Sequence[Outgoing]) -> dict[int, Sent]:
        failed: dict[int, Sent] = {}
        contacts = self._contacts(chunk, failed)
        ready = [item for item in chunk if item.lead_id in contacts]
        kept: dict[int, str] = {}
        if self.settings.leads_object:
            kept = self._leads(ready, contacts, failed)
            ready = [item for item in ready if item.lead_id in kept]
        else:
            kept = {item.lead_id: contacts[item.lead_id] for item in ready}
        notes = self._activities("notes", ready, contacts, failed)
        if self.settings.leads_object:
            self._note_on_lead(notes, kept)
        else:
            self._activities("tasks", [i for i in ready if i.lead_id in notes], contacts, failed)
        sent = {lead_id: Sent(lead_id, crm_id=crm_id) for lead_id, crm_id in kept.items()}
        sent.update(failed)
        return sent

    def _contacts(self, chunk: Sequence[Outgoing], failed: dict[int, Sent]) -> dict[int, str]:
        """Each hand-off's contact id: the contact it came from (by its Record ID), else the
        one with its email (made if none has it)."""
        found: dict[int, str] = {}
        known = [item for item in chunk if item.crm_id]
        if known:
            body: Body = {
                "inputs": [
                    {
                        "id": item.crm_id,
                        "properties": fields.contact_properties(item, self.settings),
                        "objectWriteTraceId": str(item.lead_id),
                    }
                    for item in known
                ]
            }
            answer = self._batch("update", "contacts", body, known, failed, missing_ok=True)
            ids = {str(result.get("id")) for result in answer.get("results") or []}
            found.update({i.lead_id: str(i.crm_id) for i in known if str(i.crm_id) in ids})
        by_email: dict[str, list[Outgoing]] = {}
        for item in chunk:
            if item.lead_id in found or item.lead_id in failed:
                continue
            email = (item.record.email or "").strip().lower()
            if not email:
                failed[item.lead_id] = Sent(
                    item.lead_id,
                    error="No email address: HubSpot finds a contact by email. Add the "
                    "email on the lead, then: leaddesk sync run --send-held-again",
                )
                continue
            by_email.setdefault(email, []).append(item)
        if not by_email:
            return found
        firsts = [items[0] for items in by_email.values()]  # one input per email, as HubSpot asks
        body = {
            "inputs": [
                {
                    "idProperty": "email",
                    "id": email,
                    "properties": {
                        **fields.contact_properties(items[0], self.settings),
                        "email": email,
                    },
                    "objectWriteTraceId": str(items[0].lead_id),
                }
                for email, items in by_email.items()
            ]
        }
        answer = self._batch("upsert", "contacts", body, firsts, failed)
        for result in answer.get("results") or []:
            email = str((result.get("properties") or {}).get("email") or "").lower()
            for item in by_email.get(email, []):
                found[item.lead_id] = str(result.get("id"))
        for items in by_email.values():
            for item in items[1:]:
                if items[0].lead_id in failed:
                    failed[item.lead_id] = Sent(item.lead_id, error=failed[items[0].lead_id].error)
        return found

    def _leads(
        self, ready: Sequence[Outgoing], contacts: dict[int, str], failed: dict[int, Sent]
    ) -> dict[int, str]:
        """Each hand-off's lead object: read back by the LeadDesk id, updated if found, made
        (on its contact) if not."""
        if not ready:
            return {}
        key = self.settings.external_id_field
        read: Body = {
            "idProperty": key,
            "properties": [key],
            "propertiesWithHistory": [],
            "inputs": [{"id": str(item.lead_id)} for item in ready],
        }
        answer = self._request(self._objects.read, "leads", read)
        kept: dict[int, str] = {}
        for result in answer.get("results") or []:
            value = str((result.get("properties") or {}).get(key) or "")
            if value.isdigit():
                kept[int(value)] = str(result.get("id"))
        old = [item for item in ready if item.lead_id in kept]
        new = [item for item in ready if item.lead_id not in kept]
        if old:
            body: Body = {
                "inputs": [
                    {
                        "id": kept[item.lead_id],
                        "properties": fields.lead_properties(item, self.settings),
                        "objectWriteTraceId": str(item.lead_id),
                    }
                    for item in old
                ]
            }
            self._batch("update", "leads", body, old, failed)
        if new:
            body = {
                "inputs": [
                    {
                        "properties": fields.lead_properties(item, self.settings),
                        "associations": [
                            _to(contacts[item.lead_id], fields.LEAD_TO_PRIMARY_CONTACT)
                        ],
                        "objectWriteTraceId": str(item.lead_id),
                    }
                    for item in new
                ]
            }
            made = self._batch("create", "leads", body, new, failed)
            for result in made.get("results") or []:
                value = str((result.get("properties") or {}).get(key) or "")
                if value.isdigit():
                    kept[int(value)] = str(result.get("id"))
        return {lead_id: crm for lead_id, crm in kept.items() if lead_id not in failed}

    def _activities(
        self,
        kind: str,
        ready: Sequence[Outgoing],
        contacts: dict[int, str],
        failed: dict[int, Sent],
    ) -> dict[int, str]:
        """LeadDesk's note (or call task) on each contact, found by its marker and updated,
        or made: one per hand-off however often it is sent."""
        if not ready:
            return {}
        notes = kind == "notes"
        field = "hs_note_body" if notes else "hs_task_subject"
        wanted = fields.marker if notes else fields.task_subject
        on_contact = self._associated("contacts", kind, {contacts[i.lead_id] for i in ready})
        candidates = sorted({a for ids in on_contact.values() for a in ids})
        texts: dict[str, str] = {}
        for part in chunks(candidates):
            read: Body = {
                "properties": [field],
                "propertiesWithHistory": [],
                "inputs": [{"id": a} for a in part],
            }
            answer = self._request(self._objects.read, kind, read)
            for result in answer.get("results") or []:
                texts[str(result.get("id"))] = str((result.get("properties") or {}).get(field))
        kept: dict[int, str] = {}
        for item in ready:
            for activity in on_contact.get(contacts[item.lead_id], []):
                if wanted(item.lead_id) in texts.get(activity, ""):
                    kept[item.lead_id] = activity
        render = fields.note_properties if notes else fields.task_properties
        old = [item for item in ready if item.lead_id in kept]
        if old:
            body: Body = {
                "inputs": [
                    {
                        "id": kept[i.lead_id],
                        "properties": render(i),
                        "objectWriteTraceId": str(i.lead_id),
                    }
                    for i in old
                ]
            }
            self._batch("update", kind, body, old, failed)
        new = [item for item in ready if item.lead_id not in kept]
        if new:
            type_id = fields.NOTE_TO_CONTACT if notes else fields.TASK_TO_CONTACT
            body = {
                "inputs": [
                    {
                        "properties": render(i),
                        "associations": [_to(contacts[i.lead_id], type_id)],
                        "objectWriteTraceId": str(i.lead_id),
                    }
                    for i in new
                ]
            }
            made = self._batch("create", kind, body, new, failed)
            for result in made.get("results") or []:
                text = str((result.get("properties") or {}).get(field) or "")
                for item in new:
                    if wanted(item.lead_id) in text:
                        kept[item.lead_id] = str(result.get("id"))
        return {lead_id: a for lead_id, a in kept.items() if lead_id not in failed}

    def _note_on_lead(self, notes: dict[int, str], leads: dict[int, str]) -> None:
        """The note shows on the lead too (the default association; saying it twice is
        harmless)."""
        pairs = [(notes[i], leads[i]) for i in notes if i in leads]
        for part in chunks(pairs):
            body: Body = {"inputs": [{"from": {"id": n}, "to": {"id": lead}} for n, lead in part]}
            self._request(self._associations.create_default, "notes", "leads", body)

    def _associated(self, source: str, target: str, ids: Iterable[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for part in chunks(sorted(ids)):
            body: Body = {"inputs": [{"id": i} for i in part]}
            answer = self._request(self._associations.get_page, source, target, body)
            for result in answer.get("results") or []:
                source_id = str((result.get("from") or {}).get("id"))
                found[source_id] = [str(to.get("toObjectId")) for to in result.get("to") or []]
        return found

    def _batch(
        self,
        verb: str,
        kind: str,
        body: Body,
        items: Sequence[Outgoing],
        failed: dict[int, Sent],
        *,
        missing_ok: bool = False,
    ) -> Body:
        """One batch call; a record HubSpot refused (207 multi-status) is held with its
        words, the others go on. ``missing_ok``: a record HubSpot no longer has is not an
        error (a contact deleted there is then found by email)."""
        call = getattr(self._objects, verb)
        try:
            answer = self._request(call, kind, body)
        except HubSpotRefused as error:
            if missing_ok and "OBJECT_NOT_FOUND" in str(error):
                return {}
            for item in items:
                failed[item.lead_id] = Sent(item.lead_id, error=f"HubSpot refused it: {error}")
            return {}
        by_trace = {str(item.lead_id): item for item in items}
        for problem in answer.get("errors") or []:
            if missing_ok and problem.get("category") == "OBJECT_NOT_FOUND":
                continue
            words = hubspot_words(problem)
            traced = [by_trace[t] for t in _trace_ids(problem) if t in by_trace]
            for item in traced or items:
                failed.setdefault(item.lead_id, Sent(item.lead_id, error=words))
        return answer

    # -- calling HubSpot ------------------------------------------------------------------

    def _request(self, call: Callable[..., Any], *args: Any) -> Body:
        """One call of the client, its answer's JSON. A passing fault raises ``TryAgain``:
        ``send`` repeats its whole chunk, ``check`` the call."""
        return self._once(
            lambda: call(*args, _preload_content=False, _request_timeout=self._timeout)
        )

    def _once(self, op: Callable[[], Any]) -> Body:
        try:
            response = op()
        except urllib3.exceptions.NewConnectionError as error:  # a TimeoutError's kin
            raise TryAgain("HubSpot cannot be reached (offline?).") from error
        except urllib3.exceptions.TimeoutError as error:
            raise TryAgain("HubSpot did not answer in time.") from error
        except urllib3.exceptions.HTTPError as error:
            raise TryAgain("HubSpot cannot be reached (offline?).") from error
        except _API_ERRORS as error:
            raise _sorted_out(error) from error
        except AttributeError as error:
            # The client trips over an answerless failure (a TLS refusal) while reading it.
            if isinstance(error.__context__, _API_ERRORS):
                raise _sorted_out(error.__context__) from error
            raise
        data = response.data
        return dict(json.loads(data)) if data else {}


def _sorted_out(error: Any) -> Exception:
    """An API error as what it means here: try again, stop the run, or refused."""
    status = int(error.status or 0)
    words = hubspot_words(error.body, status)
    headers = error.headers or {}
    if status == 0 and "CERTIFICATE_VERIFY_FAILED" in str(error.reason):
        return CrmUnreachable(
            "This computer does not trust the certificate of HubSpot's address (a company "
            "proxy?): name the certificate file with: leaddesk sync setup hubspot --ca-bundle FILE"
        )
    if status == 0:
        return TryAgain(f"HubSpot cannot be reached: {error.reason}".strip())
    if status == 401:
        return CrmUnreachable(
            f"HubSpot refused the private app's token ({words}). An admin makes a new token "
            "in HubSpot (Settings > Integrations > Private apps) and runs: "
            "leaddesk sync setup hubspot"
        )
    if status == 429:
        try:
            body = json.loads(error.body or b"{}")
        except ValueError:
            body = {}
        policy = str(body.get("policyName") or "") if isinstance(body, dict) else ""
        if policy == "DAILY":
            return CrmUnreachable(f"HubSpot's daily API limit is used up ({words}).")
        after = headers.get("Retry-After")
        try:
            wait = float(after) if after is not None else _POLICY_WAITS.get(policy)
        except ValueError:
            wait = _POLICY_WAITS.get(policy)
        return TryAgain(f"HubSpot is busy (429): {words}", wait)
    if status >= 500:
        return TryAgain(f"HubSpot failed on its side ({status}): {words}")
    return HubSpotRefused(words)


def _to(record_id: str, type_id: int) -> Body:
    return {
        "to": {"id": record_id},
        "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
    }
