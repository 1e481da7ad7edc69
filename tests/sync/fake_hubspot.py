"""A local HubSpot that holds the connector to the slices of HubSpot's published OpenAPI
specifications kept in tests/data/hubspot/.

Every request is checked against its operation's request schema (unknown paths, object
types other than contacts, leads, notes and tasks, extra or missing keys, more than 100
inputs: HubSpot's own 400 or 404 body) and answered in the documented shapes, 207 multi-status
and error bodies included. It keeps the contacts, leads, notes and tasks it was sent, and
records every request so a test can say what crossed the wire. Faults are queued per test:
429 (with Retry-After and HubSpot's rate-limit body), 500, 401, a slow answer after the
commit, a hang (for a kill).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

DATA = Path(__file__).resolve().parents[1] / "data" / "hubspot"
TOKEN = "pat-na1-7c1e9b2a-leaddesk-test-0b6f"
LEAD_ID = "leaddesk_lead_id"
LEAD_TO_CONTACT, NOTE_TO_CONTACT, TASK_TO_CONTACT = 578, 202, 204


def contract(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


OBJECTS = contract("objects")
ASSOCIATIONS = contract("associations_v4")
PROPERTIES = contract("properties")
ERRORS = contract("errors")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def schema_problem(schema: dict[str, Any], value: Any, spec: dict[str, Any], at: str) -> str | None:
    """Where ``value`` breaks the (JSON-schema subset of the) OpenAPI slice, or None."""
    if "$ref" in schema:
        schema = spec["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool}
    if (kind and not isinstance(value, types[kind])) or (kind == "integer" and value is True):
        return f"{at or 'body'}: expected {kind}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{at}: {value!r} is not one of {schema['enum']}"
    if kind == "array":
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", 10**9):
            low, high = schema.get("minItems", 0), schema.get("maxItems")
            return f"{at}: {len(value)} items, not {low} to {high}"
        for n, item in enumerate(value):
            problem = schema_problem(schema.get("items", {}), item, spec, f"{at}[{n}]")
            if problem:
                return problem
    if kind == "object":
        known = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                return f"{at}.{name}: required".lstrip(".")
        for name, item in value.items():
            inner = known.get(name, schema.get("additionalProperties", True))
            if inner is False:
                return f"{at}.{name}: not in the schema".lstrip(".")
            if isinstance(inner, dict):
                problem = schema_problem(inner, item, spec, f"{at}.{name}".lstrip("."))
                if problem:
                    return problem
    return None


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    body: str


@dataclass
class Fault:
    kind: str  # 429, 500, 401, slow, hang
    path_part: str
    delay: float = 0.0


@dataclass
class FakeHubSpot:
    server: HTTPServer
    base: str
    has_leads_object: bool = True
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    leads: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    tasks: dict[str, dict[str, str]] = field(default_factory=dict)
    deals: dict[str, dict[str, str]] = field(default_factory=dict)  # made by sales, not us
    links: set[tuple[str, str, str, str]] = field(default_factory=set)  # kind, id, kind, id
    seen: list[Seen] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lead_id_property: dict[str, Any] | None = field(
        default_factory=lambda: dict(PROPERTIES["lead_id_property"])
    )
    hanging: threading.Event = field(default_factory=threading.Event)
    let_go: threading.Event = field(default_factory=threading.Event)
    _numbers: Any = field(default_factory=lambda: itertools.count(1001))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- for the tests ----------------------------------------------------------------

    def fail_next(self, kind: str, path_part: str = "contacts/batch", delay: float = 0.0) -> None:
        self.faults.append(Fault(kind, path_part, delay))

    def add_contact(self, properties: dict[str, str]) -> str:
        """A contact already in the portal (one a HubSpot export carried to LeadDesk)."""
        new = self._new_id()
        self.contacts[new] = dict(properties)
        return new

    def leads_for(self, lead_id: int) -> list[str]:
        return [i for i, p in self.leads.items() if p.get(LEAD_ID) == str(lead_id)]

    def contact_of_lead(self, hubspot_lead: str) -> list[str]:
        return [c for k, i, t, c in self.links if (k, i, t) == ("leads", hubspot_lead, "contacts")]

    def notes_for(self, lead_id: int) -> list[str]:
        return [
            i for i, p in self.notes.items() if f"[LeadDesk lead {lead_id}]" in p["hs_note_body"]
        ]

    def tasks_for(self, lead_id: int) -> list[str]:
        return [
            i for i, p in self.tasks.items() if p["hs_task_subject"].endswith(f"(lead {lead_id})")
        ]

    def sales_qualify(self, hubspot_lead: str, amount: str, at: str) -> str:
        """Sales works the lead in HubSpot: qualified, and a deal made from it."""
        deal = self._new_id()
        self.deals[deal] = {"dealname": "Acme seats", "amount": amount}
        self.links.add(("leads", hubspot_lead, "deals", deal))
        self.leads[hubspot_lead].update(
            hs_pipeline_stage="qualified-stage-id", hubspot_owner_id="75", hs_lastmodifieddate=at
        )
        return deal

    def sales_disqualify(self, hubspot_lead: str, reason: str, note: str, at: str) -> None:
        self.leads[hubspot_lead].update(
            hs_pipeline_stage="unqualified-stage-id",
            hs_lead_disqualification_reason=reason,
            hs_lead_disqualification_note=note,
            hs_lastmodifieddate=at,
        )

    def linked(self, kind: str, record: str, to: str) -> list[str]:
        return [c for k, i, t, c in self.links if (k, i, t) == (kind, record, to)]

    # -- answering ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.seen.append(Seen(request.method, request.path, request.query_string.decode(), body))
        fault = self._fault_for(request.path)
        if fault is not None and fault.kind in ("429", "500", "401"):
            error = ERRORS[fault.kind]
            return _json(error["body"], error["status"], error.get("headers"))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _json(ERRORS["401"]["body"], 401)
        with self._lock:
            answer = self._route(request.method, request.path, body)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)  # committed above; the answer comes too late
        if fault is not None and fault.kind == "hang":
            self.hanging.set()
            self.let_go.wait(30)
        return answer

    def _fault_for(self, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.path_part in path:
                self.faults.remove(fault)
                return fault
        return None

    def _route(self, method: str, path: str, text: str) -> Response:
        if method == "GET" and path == "/crm/v3/properties/contacts":
            return _json({"results": PROPERTIES["contact_properties"]})
        if method == "GET" and (match := re.fullmatch(r"/crm/v3/properties/leads/(\w+)", path)):
            if not self.has_leads_object:
                return _error(400, "Unable to infer object type from: leads")
            found = self.lead_id_property
            if found is None or found["name"] != match.group(1):
                return _error(
                    404, f"Unable to find property {match.group(1)} for object type 0-136"
                )
            return _json(found)
        if method != "POST":
            return _json(ERRORS["404"]["body"], 404)
        try:
            body = json.loads(text)
        except ValueError:
            return _json(ERRORS["400"]["body"], 400)
        if path == "/crm/v3/objects/leads/search":
            operation = OBJECTS["paths"]["/crm/v3/objects/{objectType}/search"]["post"]
            problem = schema_problem(operation["request"], body, OBJECTS, "")
            return _error(400, f"Invalid input JSON: {problem}") if problem else self._search(body)
        if path == "/crm/v3/objects/deals/batch/read":  # reading what sales made: allowed
            return self._read("deals", body)
        if match := re.fullmatch(r"/crm/v3/objects/(\w+)/batch/(read|create|update|upsert)", path):
            kind, verb = match.groups()
            if kind not in OBJECTS["object_types"] or (
                kind == "leads" and not self.has_leads_object
            ):
                return _error(400, f"Unable to infer object type from: {kind}")
            operation = OBJECTS["paths"][f"/crm/v3/objects/{{objectType}}/batch/{verb}"]["post"]
            problem = schema_problem(operation["request"], body, OBJECTS, "")
            if problem:
                return _error(400, f"Invalid input JSON: {problem}")
            return getattr(self, f"_{verb}")(kind, body)
        assoc = r"/crm/v4/associations/(\w+)/(\w+)/batch/(read|associate/default)"
        if match := re.fullmatch(assoc, path):
            source, target, verb = match.groups()
            template = "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/" + verb
            problem = schema_problem(
                ASSOCIATIONS["paths"][template]["post"]["request"], body, ASSOCIATIONS, ""
            )
            if problem:
                return _error(400, f"Invalid input JSON: {problem}")
            if verb == "read":
                return self._associations(source, target, body)
            for pair in body["inputs"]:
                self.links.add((source, pair["from"]["id"], target, pair["to"]["id"]))
            results = [
                {**ASSOCIATIONS["responses"]["default_result"], "from": p["from"], "to": p["to"]}
                for p in body["inputs"]
            ]
            return _json(_batch(results, []))
        return _json(ERRORS["404"]["body"], 404)

    # -- the objects -------------------------------------------------------------------

    def _store(self, kind: str) -> dict[str, dict[str, str]]:
        stores: dict[str, dict[str, dict[str, str]]] = {
            "contacts": self.contacts, "leads": self.leads, "notes": self.notes,
            "tasks": self.tasks, "deals": self.deals,
        }  # fmt: skip
        return stores[kind]

    def _read(self, kind: str, body: dict[str, Any]) -> Response:
        store = self._store(kind)
        key = body.get("idProperty")
        if key is not None and not (
            kind == "leads"
            and self.lead_id_property
            and key == self.lead_id_property["name"]
            and self.lead_id_property.get("hasUniqueValue")
        ):
            return _error(400, f"{key} is not a unique property of {kind}")
        results, errors = [], []
        for wanted in body["inputs"]:
            found = [i for i, p in store.items() if (p.get(key) if key else i) == wanted["id"]]
            if found:
                shown = {n: store[found[0]].get(n) for n in body["properties"]}
                results.append(_object(found[0], shown))
            else:
                errors.append(
                    _item_error(
                        "OBJECT_NOT_FOUND",
                        f"Could not get some {kind} objects, they may be deleted or not exist.",
                        {"ids": [wanted["id"]]},
                    )
                )
        return _json(_batch(results, errors), 207 if errors else 200)

    def _create(self, kind: str, body: dict[str, Any]) -> Response:
        store = self._store(kind)
        results, errors = [], []
        wanted_link = {
            "leads": LEAD_TO_CONTACT,
            "notes": NOTE_TO_CONTACT,
            "tasks": TASK_TO_CONTACT,
        }.get(kind)
        for given in body["inputs"]:
            trace = {"objectWriteTraceId": [given.get("objectWriteTraceId", "")]}
            properties = given["properties"]
            links = [
                (a["to"]["id"], t["associationTypeId"])
                for a in given.get("associations", [])
                for t in a["types"]
            ]
            contacts = [c for c, type_id in links if type_id == wanted_link and c in self.contacts]
            if kind == "leads":
                if not properties.get("hs_lead_name") or not contacts:
                    errors.append(
                        _item_error(
                            "VALIDATION_ERROR",
                            "A lead needs hs_lead_name and an associated contact",
                            trace,
                        )
                    )
                    continue
                if self.leads_for(int(properties.get(LEAD_ID, "0"))):
                    errors.append(
                        _item_error(
                            "CONFLICT",
                            f"A lead with {LEAD_ID}={properties.get(LEAD_ID)} already exists",
                            trace,
                        )
                    )
                    continue
            elif not contacts:
                errors.append(
                    _item_error(
                        "VALIDATION_ERROR",
                        f"associationTypeId {wanted_link} to an existing contact is required",
                        trace,
                    )
                )
                continue
            new = self._new_id()
            store[new] = dict(properties)
            for contact in contacts:
                self.links.add((kind, new, "contacts", contact))
            results.append(_object(new, properties))
        return _json(_batch(results, errors), 207 if errors else 201)

    def _update(self, kind: str, body: dict[str, Any]) -> Response:
        store = self._store(kind)
        results, errors = [], []
        for given in body["inputs"]:
            trace = {"objectWriteTraceId": [given.get("objectWriteTraceId", "")]}
            if given["id"] not in store:
                errors.append(
                    _item_error("OBJECT_NOT_FOUND", f"Object {given['id']} not found", trace)
                )
                continue
            problem = (
                self._bad_contact({**store[given["id"]], **given["properties"]})
                if kind == "contacts"
                else None
            )
            if problem:
                errors.append(_item_error("VALIDATION_ERROR", problem, trace))
                continue
            store[given["id"]].update(given["properties"])
            results.append(_object(given["id"], store[given["id"]]))
        return _json(_batch(results, errors), 207 if errors else 200)

    def _upsert(self, kind: str, body: dict[str, Any]) -> Response:
        store = self._store(kind)
        if kind != "contacts" or any(i.get("idProperty") != "email" for i in body["inputs"]):
            return _error(400, "Upsert here is by email on contacts")
        ids = [i["id"] for i in body["inputs"]]
        if len(set(ids)) != len(ids):
            return _error(400, "Duplicate IDs found in batch input")
        results, errors = [], []
        for given in body["inputs"]:
            trace = {"objectWriteTraceId": [given.get("objectWriteTraceId", "")]}
            properties = {**given["properties"], "email": given["id"]}
            problem = self._bad_contact(properties)
            if problem:
                errors.append({**ERRORS["item"], "message": problem, "context": trace})
                continue
            found = [
                i for i, p in store.items() if p.get("email", "").lower() == given["id"].lower()
            ]
            new = not found
            record = found[0] if found else self._new_id()
            store.setdefault(record, {}).update(properties)
            results.append({**_object(record, store[record]), "new": new})
        return _json(_batch(results, errors), 207 if errors else 200)

    def _search(self, body: dict[str, Any]) -> Response:
        """Leads matching every filter of the (one) group, in change order, a page at a time."""
        [group] = body["filterGroups"]

        def matches(properties: dict[str, str], rule: dict[str, Any]) -> bool:
            value = properties.get(rule["propertyName"])
            if rule["operator"] == "HAS_PROPERTY":
                return bool(value)
            if rule["operator"] == "IN":
                return value in rule["values"]
            if rule["operator"] == "GTE":
                return _millis(value) >= int(rule["value"])
            raise AssertionError(f"the fake has no {rule['operator']}")

        found = [
            (i, p) for i, p in self.leads.items() if all(matches(p, r) for r in group["filters"])
        ]
        found.sort(key=lambda pair: _millis(pair[1].get("hs_lastmodifieddate")))
        start, limit = int(body.get("after") or 0), int(body.get("limit") or 10)
        page = found[start : start + limit]
        answer: dict[str, Any] = {
            "total": len(found),
            "results": [
                _object(i, {n: p.get(n) for n in body.get("properties", [])}) for i, p in page
            ],
        }
        if start + limit < len(found):
            answer["paging"] = {"next": {"after": str(start + limit)}}
        return _json(answer)

    def _bad_contact(self, properties: dict[str, str]) -> str | None:
        email = properties.get("email")
        if email and not EMAIL.fullmatch(email):
            return f"Property values were not valid: email {email} is not a valid email address"
        return None

    def _associations(self, source: str, target: str, body: dict[str, Any]) -> Response:
        results, errors = [], []
        for wanted in body["inputs"]:
            to = [i for k, i, t, c in self.links if (k, t, c) == (target, source, wanted["id"])]
            to += [c for k, i, t, c in self.links if (k, i, t) == (source, wanted["id"], target)]
            shape = ASSOCIATIONS["responses"]["read_result"]["to"][0]
            if to:
                found = [{**shape, "toObjectId": int(i)} for i in sorted(set(to))]
                results.append({"from": {"id": wanted["id"]}, "to": found})
            else:
                errors.append(
                    _item_error(
                        "OBJECT_NOT_FOUND",
                        f"No {target} is associated with {source} {wanted['id']}.",
                        {"fromObjectId": [wanted["id"]]},
                    )
                )
        return _json(_batch(results, errors), 207 if errors else 200)

    def _new_id(self) -> str:
        return str(next(self._numbers))


def _millis(value: str | None) -> int:
    if not value:
        return 0
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


def _object(record: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        **OBJECTS["responses"]["SimplePublicObject"],
        "id": record,
        "properties": dict(properties),
    }


def _batch(results: list[Any], errors: list[Any]) -> dict[str, Any]:
    answer = {**OBJECTS["responses"]["BatchResponse"], "results": results}
    if errors:
        answer.update(numErrors=len(errors), errors=errors)
    return answer


def _item_error(category: str, message: str, context: dict[str, list[str]]) -> dict[str, Any]:
    return {"status": "error", "category": category, "message": message, "context": context}


def _error(status: int, message: str) -> Response:
    template = ERRORS[str(status)]["body"]
    return _json({**template, "message": message}, status)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers or {}, content_type="application/json"
    )
