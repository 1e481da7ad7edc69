"""The sync's fixtures: a local Salesforce and a local HubSpot over HTTPS, an in-memory
keyring, a team whose admin set the sync up against one of them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from fake_hubspot import TOKEN, FakeHubSpot
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from memory_keyring import MemoryKeyring
from pytest_httpserver import HTTPServer
from sync_scenarios import set_up_team
from tls import make_certificate, server_context

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk

NAMES_OF_SALES_OBJECTS = re.compile(r"opportunit|\bdeal", re.IGNORECASE)
# Every call a connector may make: sign in, describe Lead, upsert Leads, update Leads by id, make
# a batch's Tasks (sObject Collections create), look them up, read sales' answers (a query and
# its further pages). Nothing else reaches Salesforce.
CONTRACT = re.compile(
    r"(POST /services/oauth2/token"
    r"|GET /services/data/v\d+\.\d/sobjects/Lead/describe"
    r"|PATCH /services/data/v\d+\.\d/composite/sobjects/Lead/LeadDesk_Lead_Id__c"
    r"|(?:PATCH|POST) /services/data/v\d+\.\d/composite/sobjects"
    r"|GET /services/data/v\d+\.\d/query/?"
    r"|GET /services/data/v\d+\.\d/query/[\w-]+)"
)
# Every call the HubSpot connector may make: contacts, leads, notes and tasks in batches,
# the associations it reads and the note-to-lead one it adds, the properties it checks.
HUBSPOT_CONTRACT = re.compile(
    r"(POST /crm/v3/objects/(contacts|leads|notes|tasks)/batch/(read|create|update|upsert)"
    r"|POST /crm/v4/associations/contacts/(notes|tasks)/batch/read"
    r"|POST /crm/v4/associations/notes/leads/batch/associate/default"
    r"|GET /crm/v3/properties/contacts"
    r"|GET /crm/v3/properties/leads/leaddesk_lead_id"
    r"|POST /crm/v3/objects/leads/search"
    r"|POST /crm/v4/associations/leads/deals/batch/read"
    r"|POST /crm/v3/objects/deals/batch/read)"
)
# Pulling sales' answers reads which deal a lead became, and its amount: reads only, so these
# two may name a deal; nothing else may.
READS_OF_DEALS = re.compile(
    r"POST (/crm/v4/associations/leads/deals/batch/read|/crm/v3/objects/deals/batch/read)"
)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def salesforce(certificate: tuple[Path, Path]) -> Iterator[FakeSalesforce]:
    """Salesforce on this computer. Whatever the test did, no request that writes may name an
    opportunity or a deal: creating those is sales' act, never a connector's. Reading them is
    allowed (a SOQL query, which cannot write, asks for a converted Lead's opportunity id)."""
    server = HTTPServer("127.0.0.1", 0, ssl_context=server_context(*certificate), threaded=True)
    server.start()
    fake = FakeSalesforce(server, f"https://127.0.0.1:{server.port}")
    server.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    try:
        yield fake
    finally:
        fake.let_go.set()
        server.clear()
        server.stop()
    for seen in fake.seen:
        text = f"{seen.path}?{seen.query}\n{seen.body}"
        reads = seen.method == "GET" and "/query" in seen.path and not seen.body
        if reads:
            assert "SELECT" in seen.query or not seen.query, seen.query
        else:
            assert not NAMES_OF_SALES_OBJECTS.search(text), f"{seen.method} {seen.path} names it"
        assert CONTRACT.fullmatch(f"{seen.method} {seen.path}"), f"{seen.method} {seen.path}"
        if seen.path.endswith("/composite/sobjects"):  # makes Tasks, updates Leads: no other
            kinds = {r["attributes"]["type"] for r in json.loads(seen.body)["records"]}
            assert kinds == {"Task" if seen.method == "POST" else "Lead"}, f"{seen.method} {kinds}"


@pytest.fixture
def hubspot(certificate: tuple[Path, Path]) -> Iterator[FakeHubSpot]:
    """HubSpot on this computer, held to the same rule: no request names a deal or an
    opportunity, and none leaves the calls the connector is allowed to make."""
    server = HTTPServer("127.0.0.1", 0, ssl_context=server_context(*certificate), threaded=True)
    server.start()
    fake = FakeHubSpot(server, f"https://127.0.0.1:{server.port}")
    server.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    try:
        yield fake
    finally:
        fake.let_go.set()
        server.clear()
        server.stop()
    for seen in fake.seen:
        text = f"{seen.path}?{seen.query}\n{seen.body}"
        call = f"{seen.method} {seen.path}"
        assert READS_OF_DEALS.fullmatch(call) or not NAMES_OF_SALES_OBJECTS.search(text), call
        assert HUBSPOT_CONTRACT.fullmatch(call), call


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


@pytest.fixture
def synced_team(
    team: str, clock: FixedClock, salesforce: FakeSalesforce, certificate: tuple[Path, Path]
) -> str:
    """The team's admin has set the sync up against the local Salesforce."""
    with open_desk(team, "admin1", clock=clock) as admin:
        admin.sync.setup(
            "salesforce",
            login_url=salesforce.base,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            ca_bundle=str(certificate[0]),
        )
    return team


@pytest.fixture
def hubspot_team(
    team: str, clock: FixedClock, hubspot: FakeHubSpot, certificate: tuple[Path, Path]
) -> str:
    """The team's admin has set the sync up against the local HubSpot."""
    with open_desk(team, "admin1", clock=clock) as admin:
        admin.sync.setup(
            "hubspot",
            api_url=hubspot.base,
            client_secret=TOKEN,
            ca_bundle=str(certificate[0]),
        )
    return team
