"""A local Salesforce that holds the connector to the documented REST shapes.

It answers the calls LeadDesk makes (the client-credentials token, Lead describe, sObject
Collections upsert by external id, sObject Rows update, Task create, a SOQL query) as
tests/data/salesforce/ says Salesforce does, refuses any request off that contract with
Salesforce's own error bodies, keeps the Leads and Tasks it was sent, and records every
request so a test can say what crossed the wire. Faults are queued per test: 429 with
Retry-After, 500, an expired token, a slow answer after the commit, a hang (for a kill).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

DATA = Path(__file__).resolve().parents[1] / "data" / "salesforce"
API = "v62.0"
EXTERNAL_ID = "LeadDesk_Lead_Id__c"
CLIENT_ID = "3MVG9-leaddesk-test-app"
CLIENT_SECRET = "test-secret-8A4BE698BCA2"


def contract(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


ERRORS = contract("errors")
DESCRIBE = contract("lead_describe")
UPSERT = contract("collections_upsert")
ROWS = contract("sobject_rows")
OAUTH = contract("oauth_client_credentials")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    body: str


@dataclass
class Fault:
    """What the next matching request meets: ``kind`` is 429, 500, expire, slow, hang."""

    kind: str
    path_part: str
    delay: float = 0.0


@dataclass
class FakeSalesforce:
    server: HTTPServer
    base: str
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)  # Salesforce id -> fields
    tasks: list[dict[str, Any]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    issued: list[str] = field(default_factory=list)  # every token ever given out
    fields: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {f["name"]: f for f in DESCRIBE["fields"]}
    )
    hanging: threading.Event = field(default_factory=threading.Event)  # a hang has begun
    let_go: threading.Event = field(default_factory=threading.Event)
    _numbers: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- for the tests ----------------------------------------------------------------

    def fail_next(self, kind: str, path_part: str = "composite", delay: float = 0.0) -> None:
        self.faults.append(Fault(kind, path_part, delay))

    def add_lead(self, fields: dict[str, Any]) -> str:
        """A Lead already in the org (one a Salesforce export carried to LeadDesk)."""
        lead_id = self._new_id("00Q")
        self.leads[lead_id] = dict(fields)
        return lead_id

    def leads_for(self, lead_id: int) -> list[dict[str, Any]]:
        return [f for f in self.leads.values() if f.get(EXTERNAL_ID) == str(lead_id)]

    def tasks_for(self, salesforce_id: str) -> list[dict[str, Any]]:
        return [t for t in self.tasks if t["WhoId"] == salesforce_id]

    def drop_external_id_field(self) -> None:
        self.fields.pop(EXTERNAL_ID, None)

    # -- answering ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.seen.append(Seen(request.method, request.path, request.query_string.decode(), body))
        fault = self._fault_for(request.path)
        if fault is not None and fault.kind in ("429", "500"):
            error = ERRORS[fault.kind]
            return _json(error["body"], error["status"], error.get("headers"))
        if fault is not None and fault.kind == "expire":
            self.tokens.clear()
        if request.path == "/services/oauth2/token":
            return self._token(request)
        prefix = f"/services/data/{API}/"
        if not request.path.startswith(prefix):
            return _json(ROWS["not_found"]["body"], 404)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return _json(ERRORS["401"]["body"], 401)
        with self._lock:
            answer = self._route(request.method, request.path[len(prefix) :], request, body)
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

    def _token(self, request: Request) -> Response:
        form = request.form
        if (
            form.get("grant_type") != OAUTH["request"]["grant_type"]
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
        ):
            refused = OAUTH["refused"]
            return _json(refused["body"], refused["status"])
        token = f"00D000000000001!{secrets.token_urlsafe(24)}"
        self.tokens.add(token)
        self.issued.append(token)
        return _json({**OAUTH["response"], "access_token": token, "instance_url": self.base})

    def _route(self, method: str, path: str, request: Request, body: str) -> Response:
        collections = f"composite/sobjects/Lead/{EXTERNAL_ID}"
        if method == "GET" and path == "sobjects/Lead/describe":
            return _json({"name": "Lead", "fields": list(self.fields.values())})
        if method == "PATCH" and path == collections:
            return self._upsert(body)
        if method == "PATCH" and (match := re.fullmatch(r"sobjects/Lead/(00Q\w{12,15})", path)):
            return self._update(match.group(1), body)
        if method == "POST" and path == "sobjects/Task":
            return self._task(body)
        if method == "GET" and path in ("query", "query/"):
            return self._query(request.args.get("q", ""))
        return _json(ROWS["not_found"]["body"], 404)

    def _bad_fields(self, record: dict[str, Any]) -> Response | None:
        for name in record:
            if name == "attributes":
                continue
            known = self.fields.get(name)
            if known is None:
                message = f"No such column '{name}' on sobject of type Lead"
                return _json([{"message": message, "errorCode": "INVALID_FIELD"}], 400)
            if not known.get("updateable"):
                message = f"Unable to create/update fields: {name}."
                return _json(
                    [{"message": message, "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE"}], 400
                )
        return None

    def _upsert(self, body: str) -> Response:
        try:
            data = json.loads(body)
        except ValueError:
            return _json(
                [{"message": "Unexpected character", "errorCode": "JSON_PARSER_ERROR"}], 400
            )
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list) or not records or len(records) > 200:
            return _json([{"message": "records: 1 to 200", "errorCode": "INVALID_BATCH_SIZE"}], 400)
        if not isinstance(data.get("allOrNone", False), bool):
            return _json(
                [{"message": "allOrNone: a boolean", "errorCode": "JSON_PARSER_ERROR"}], 400
            )
        for record in records:
            if (record.get("attributes") or {}).get("type") != "Lead":
                message = "Each record needs attributes.type of the URI's sObject"
                return _json([{"message": message, "errorCode": "INVALID_TYPE"}], 400)
            if "Id" in record or not record.get(EXTERNAL_ID):
                message = f"Upsert by {EXTERNAL_ID}: give it, and no Id"
                return _json([{"message": message, "errorCode": "INVALID_FIELD"}], 400)
            bad = self._bad_fields(record)
            if bad is not None:
                return bad
        return _json([self._upsert_one(record) for record in records])

    def _upsert_one(self, record: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in record.items() if k != "attributes"}
        problem = _item_problem(fields)
        if problem is not None:
            return {"success": False, "errors": [problem]}
        found = [sf for sf, f in self.leads.items() if f.get(EXTERNAL_ID) == fields[EXTERNAL_ID]]
        if found:
            self.leads[found[0]].update(fields)
            return {**UPSERT["response_ok"][0], "id": found[0], "created": False}
        new = self._new_id("00Q")
        self.leads[new] = fields
        return {**UPSERT["response_ok"][0], "id": new, "created": True}

    def _update(self, salesforce_id: str, body: str) -> Response:
        if salesforce_id not in self.leads:
            return _json(ROWS["not_found"]["body"], 404)
        fields = json.loads(body)
        bad = self._bad_fields(fields)
        if bad is not None:
            return bad
        problem = _item_problem({**self.leads[salesforce_id], **fields})
        if problem is not None:
            return _json([{"message": problem["message"], "errorCode": problem["statusCode"]}], 400)
        self.leads[salesforce_id].update(fields)
        return Response(status=ROWS["update"]["response_status"])

    def _task(self, body: str) -> Response:
        task = json.loads(body)
        if task.get("WhoId") not in self.leads or not task.get("Subject"):
            message = "Who ID: id value of incorrect type"
            return _json([{"message": message, "errorCode": "FIELD_INTEGRITY_EXCEPTION"}], 400)
        new = self._new_id("00T")
        self.tasks.append({**task, "Id": new})
        return _json({**ROWS["create"]["response"], "id": new}, ROWS["create"]["response_status"])

    def _query(self, soql: str) -> Response:
        match = re.fullmatch(
            r"SELECT Id FROM Task WHERE WhoId = '(\w+)' AND Subject = '([^']*)' LIMIT 1", soql
        )
        if match is None:
            message = f"unexpected token: {soql[:40]}"
            return _json([{"message": message, "errorCode": "MALFORMED_QUERY"}], 400)
        who, subject = match.groups()
        found = [t for t in self.tasks if t["WhoId"] == who and t["Subject"] == subject][:1]
        records = [{"attributes": {"type": "Task"}, "Id": t["Id"]} for t in found]
        return _json({"totalSize": len(records), "done": True, "records": records})

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}5g00000{next(self._numbers):05d}AAA"


def _item_problem(fields: dict[str, Any]) -> dict[str, Any] | None:
    if not str(fields.get("LastName") or "").strip():
        return UPSERT["response_item_error"]["errors"][0]
    email = fields.get("Email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(email)):
        return {
            "statusCode": "INVALID_EMAIL_ADDRESS",
            "message": f"Email: invalid email address: {email}",
            "fields": ["Email"],
        }
    return None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers or {}, content_type="application/json"
    )
