"""A local Salesforce that holds the connector to the documented REST shapes.

It answers the calls LeadDesk makes (the client-credentials token, Lead describe, sObject
Collections upsert by external id, sObject Collections update by id, sObject Collections
create of a batch's Tasks, the look-up of a batch's Tasks and the query for sales' answers, in pages
that ``nextRecordsUrl`` follows) as tests/data/salesforce/ says Salesforce does, refuses any
request off that contract with Salesforce's own error bodies, keeps the Leads and Tasks it
was sent, and records every request so a test can say what crossed the wire. Faults are
queued per test: 429 with Retry-After, 500, an expired token, a slow answer after the commit,
a hang (for a kill).
Sales' own work in the org (converting a Lead, turning one down) is done by the test, as a
salesperson would in Salesforce's screens: ``convert`` and ``turn_down``.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
CREATE = contract("collections_create")
UPDATE = contract("collections_update")
ROWS = contract("sobject_rows")
OAUTH = contract("oauth_client_credentials")
QUERY = contract("query")
# The query for sales' answers, as the connector writes it (leaddesk/sync/salesforce_answers.py).
# The look-up of a batch's call Tasks (leaddesk/sync/salesforce_tasks.py).
TASKS = re.compile(
    r"SELECT Id, WhoId, Subject FROM Task WHERE WhoId IN \((?P<who>'\w+'(?:, '\w+')*)\)"
    r" AND Subject LIKE '(?P<prefix>[^'%]*)%'"
)
ANSWERS = re.compile(
    r"SELECT (?P<fields>[\w., ]+) FROM Lead WHERE (?P<key>\w+) != null"
    r" AND \(IsConverted = true(?: OR Status IN \((?P<statuses>[^)]*)\))?\)"
    r"(?: AND SystemModstamp > (?P<since>[\dT:-]+Z))? ORDER BY SystemModstamp"
)


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
    method: str | None = None  # only requests of this method (POST: the Tasks' create)


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
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    page_size: int = 2000  # records per query page, as Salesforce's default batch
    pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # locator -> rest
    _tasks_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # WhoId -> Tasks
    task_rule: Callable[[dict[str, Any]], str | None] = lambda _task: None  # org's validation
    _numbers: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- for the tests ----------------------------------------------------------------

    def fail_next(
        self, kind: str, path_part: str = "composite", delay: float = 0.0, method: str | None = None
    ) -> None:
        self.faults.append(Fault(kind, path_part, delay, method))

    def add_lead(self, fields: dict[str, Any]) -> str:
        """A Lead already in the org (one a Salesforce export carried to LeadDesk)."""
        lead_id = self._new_id("00Q")
        self.leads[lead_id] = dict(fields)
        return lead_id

    def leads_for(self, lead_id: int) -> list[dict[str, Any]]:
        return [f for f in self.leads.values() if f.get(EXTERNAL_ID) == str(lead_id)]

    def tasks_for(self, salesforce_id: str) -> list[dict[str, Any]]:
        return [t for t in self.tasks if t["WhoId"] == salesforce_id]

    def refuse_tasks(self, rule: Callable[[dict[str, Any]], str | None]) -> None:
        """The org's admin adds a validation rule on Task: its message, or None to let one be."""
        self.task_rule = rule

    def convert(
        self, salesforce_id: str, *, owner: str = "Jane Smith", amount: float | None = None
    ) -> str:
        """Sales converts the Lead in Salesforce, with a new Opportunity (worth ``amount``);
        its id."""
        opportunity = self._new_id("006")
        self._changed(
            salesforce_id,
            IsConverted=True,
            Status="Closed - Converted",
            ConvertedOpportunityId=opportunity,
            ConvertedDate=self.now().date().isoformat(),
            Owner=owner,
            OpportunityAmount=amount,
        )
        return opportunity

    def turn_down(self, salesforce_id: str, status: str, **fields: Any) -> None:
        """Sales marks the Lead unqualified (with a reason or comment field, if given)."""
        self._changed(salesforce_id, Status=status, **fields)

    def add_field(self, name: str) -> None:
        """A custom field the org's admin made on Lead (a reason, a comment)."""
        self.fields[name] = {"name": name, "type": "string", "updateable": True}

    def _changed(self, salesforce_id: str, **fields: Any) -> None:
        with self._lock:
            self.leads[salesforce_id].update(fields, SystemModstamp=self.now())

    def drop_external_id_field(self) -> None:
        self.fields.pop(EXTERNAL_ID, None)

    # -- answering ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.seen.append(Seen(request.method, request.path, request.query_string.decode(), body))
        fault = self._fault_for(request.method, request.path)
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

    def _fault_for(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.path_part in path and fault.method in (None, method):
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
        if method == "PATCH" and path == "composite/sobjects":
            return self._update(body)
        if method == "POST" and path == "composite/sobjects":
            return self._create(body)
        if method == "GET" and path in ("query", "query/"):
            return self._query(request.args.get("q", ""))
        if method == "GET" and path.startswith("query/") and path[6:] in self.pages:
            return self._page(path[6:])
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
        # Which Lead carries each LeadDesk id, read afresh for each request (a test may have
        # retyped a Lead's field) and once per request, so 10,000 upserts stay quick.
        keyed: dict[str, str] = {}
        for salesforce_id, fields in self.leads.items():
            keyed.setdefault(str(fields.get(EXTERNAL_ID)), salesforce_id)
        return _json([self._upsert_one(record, keyed) for record in records])

    def _upsert_one(self, record: dict[str, Any], keyed: dict[str, str]) -> dict[str, Any]:
        fields = {k: v for k, v in record.items() if k != "attributes"}
        problem = _item_problem(fields)
        if problem is not None:
            return {"success": False, "errors": [problem]}
        found = keyed.get(str(fields[EXTERNAL_ID]))
        fields["SystemModstamp"] = self.now()
        if found:
            self.leads[found].update(fields)
            return {**UPSERT["response_ok"][0], "id": found, "created": False}
        new = self._new_id("00Q")
        self.leads[new] = fields
        keyed[str(fields[EXTERNAL_ID])] = new
        return {**UPSERT["response_ok"][0], "id": new, "created": True}

    def _update(self, body: str) -> Response:
        data = json.loads(body)
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list) or not records or len(records) > 200:
            return _json([{"message": "records: 1 to 200", "errorCode": "INVALID_BATCH_SIZE"}], 400)
        for record in records:
            if (record.get("attributes") or {}).get("type") != "Lead" or not record.get("Id"):
                message = "Each record needs attributes.type (LeadDesk updates only Leads) and Id"
                return _json([{"message": message, "errorCode": "INVALID_FIELD"}], 400)
            bad = self._bad_fields({k: v for k, v in record.items() if k != "Id"})
            if bad is not None:
                return bad
        return _json([self._update_one(record) for record in records])

    def _update_one(self, record: dict[str, Any]) -> dict[str, Any]:
        salesforce_id = record["Id"]
        if salesforce_id not in self.leads:
            return dict(UPDATE["response_item_deleted"])
        fields = {k: v for k, v in record.items() if k not in ("attributes", "Id")}
        problem = _item_problem({**self.leads[salesforce_id], **fields})
        if problem is not None:
            return {"success": False, "errors": [problem]}
        self.leads[salesforce_id].update(fields, SystemModstamp=self.now())
        return {**UPDATE["response_ok"][0], "id": salesforce_id}

    def _create(self, body: str) -> Response:
        try:
            data = json.loads(body)
        except ValueError:
            return _json(
                [{"message": "Unexpected character", "errorCode": "JSON_PARSER_ERROR"}], 400
            )
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list) or not records or len(records) > 200:
            return _json([{"message": "records: 1 to 200", "errorCode": "INVALID_BATCH_SIZE"}], 400)
        if data.get("allOrNone") is not False:
            message = "LeadDesk sends allOrNone false: one bad Task must not stop the others"
            return _json([{"message": message, "errorCode": "JSON_PARSER_ERROR"}], 400)
        for record in records:
            if (record.get("attributes") or {}).get("type") != "Task":
                message = "Each record needs attributes.type (LeadDesk makes only Tasks)"
                return _json([{"message": message, "errorCode": "INVALID_TYPE"}], 400)
            if "Id" in record:
                message = "Id: a record being created has none"
                return _json([{"message": message, "errorCode": "INVALID_FIELD"}], 400)
        return _json([self._task(record) for record in records])

    def _task(self, record: dict[str, Any]) -> dict[str, Any]:
        task = {k: v for k, v in record.items() if k != "attributes"}
        if task.get("WhoId") not in self.leads or not task.get("Subject"):
            bad = CREATE["response_bad_reference"]
            message = f"Name ID: id value of incorrect type: {task.get('WhoId')}"
            return {**bad, "errors": [{**bad["errors"][0], "message": message}]}
        refused = self.task_rule(task)
        if refused is not None:
            bad = CREATE["response_item_error"]
            return {**bad, "errors": [{**bad["errors"][0], "message": refused}]}
        new = self._new_id("00T")
        self.tasks.append(made := {**task, "Id": new})
        self._tasks_of.setdefault(task["WhoId"], []).append(made)
        return {**CREATE["response_ok"][0], "id": new}

    def _query(self, soql: str) -> Response:
        if soql.startswith("SELECT Id, ") and " FROM Lead " in soql:
            return self._answers(soql)
        match = TASKS.fullmatch(soql)
        if match is None:
            message = f"unexpected token: {soql[:40]}"
            return _json([{"message": message, "errorCode": "MALFORMED_QUERY"}], 400)
        who = {w.strip().strip("'") for w in match["who"].split(",")}
        url = f"/services/data/{API}/sobjects/Task/"
        records = [
            {
                "attributes": {"type": "Task", "url": url + task["Id"]},
                "Id": task["Id"],
                "WhoId": task["WhoId"],
                "Subject": task["Subject"],
            }
            for who_id in sorted(who)
            for task in self._tasks_of.get(who_id, [])
            if task["Subject"].startswith(match["prefix"])
        ]
        return self._first_page(records)

    def _answers(self, soql: str) -> Response:
        match = ANSWERS.fullmatch(soql)
        if match is None:
            return _json(QUERY["malformed"], 400)
        names = [name.strip() for name in match["fields"].split(",")]
        for name in names:
            if (
                name not in ("Owner.Name", "ConvertedOpportunity.Amount")
                and name not in self.fields
            ):
                said = f"No such column '{name}' on entity 'Lead'."
                return _json([{**QUERY["invalid_field"][0], "message": said}], 400)
        statuses = {s.strip().strip("'") for s in (match["statuses"] or "").split(",") if s}
        since = datetime.fromisoformat(match["since"]) if match["since"] else None
        found = sorted(
            (
                (sf, f)
                for sf, f in self.leads.items()
                if f.get(match["key"])
                and (f.get("IsConverted") is True or f.get("Status") in statuses)
                and (since is None or f["SystemModstamp"].replace(microsecond=0) > since)
            ),
            key=lambda pair: pair[1]["SystemModstamp"],
        )
        records = [self._record(sf, f, names) for sf, f in found]
        return self._first_page(records)

    def _record(self, salesforce_id: str, fields: dict[str, Any], names: list[str]) -> Any:
        url = f"/services/data/{API}/sobjects/Lead/{salesforce_id}"
        record: dict[str, Any] = {"attributes": {"type": "Lead", "url": url}}
        for name in names:
            if name == "Owner.Name":
                user = QUERY["response_page"]["records"][0]["Owner"]["attributes"]
                record["Owner"] = {"attributes": user, "Name": fields.get("Owner", "Ann Admin")}
            elif name == "ConvertedOpportunity.Amount":
                # A relationship field: the Opportunity object, or null before conversion.
                opportunity = fields.get("ConvertedOpportunityId")
                record["ConvertedOpportunity"] = (
                    {
                        "attributes": {
                            "type": "Opportunity",
                            "url": f"/services/data/{API}/sobjects/Opportunity/{opportunity}",
                        },
                        "Amount": fields.get("OpportunityAmount"),
                    }
                    if opportunity
                    else None
                )
            elif name == "Id":
                record["Id"] = salesforce_id
            elif name == "SystemModstamp":
                record[name] = fields[name].strftime("%Y-%m-%dT%H:%M:%S.000+0000")
            else:
                record[name] = fields.get(name, False if name == "IsConverted" else None)
        return record

    def _first_page(self, records: list[Any]) -> Response:
        total = len(records)
        self.pages[locator := f"01gD0000002HU6K{secrets.token_hex(2)}"] = records
        return self._page(locator, total)

    def _page(self, locator: str, total: int | None = None) -> Response:
        rest = self.pages.pop(locator)
        page, rest = rest[: self.page_size], rest[self.page_size :]
        answer: dict[str, Any] = {
            "totalSize": total if total is not None else len(page) + len(rest),
            "done": not rest,
            "records": page,
        }
        if rest:
            following = f"{locator.split('-')[0]}-{secrets.token_hex(2)}"
            self.pages[following] = rest
            answer["nextRecordsUrl"] = f"/services/data/{API}/query/{following}"
        return _json(answer)

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
