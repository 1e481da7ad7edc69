"""Sync figures: N hand-offs pushed to the local Salesforce (tests/sync/fake_salesforce.py, over
HTTPS in a thread of this process) by the sync worker's own pass (``send_waiting``: per 200
hand-offs, one upsert of their Leads by the LeadDesk id, one query for their call Tasks, one
sObject Collections create of the missing Tasks), against the floor of writing the same N
Leads' fields as CSV rows with ``csv.writer``.
The floor is timed just before and just after the push (interleaved, so both see the same
machine load) and the mean is used.

Run: python tests/benchmarks/bench_sync.py [--handoffs 10000] [--profile]
(prints figures; asserts nothing). Always prints how much of the push the local Salesforce's
own handler took (it runs in threads of this process); ``--profile`` adds cProfile's top
functions of the sending thread (ours, simple-salesforce, requests, TLS).

The store is a demo store whose not-yet-qualified leads are made hand-offs waiting to sync (the
verdict of a demo hand-off copied onto them, with its outbox row), so N is reached without
working N calls through the questionnaire.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import logging
import os
import pstats
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
from pytest_httpserver import HTTPServer
from sqlalchemy import select

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "sync"), str(HERE.parents[1])]

from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce  # noqa: E402
from memory_keyring import MemoryKeyring  # noqa: E402
from tls import make_certificate, server_context  # noqa: E402

from leaddesk.admin.demo import fill_demo  # noqa: E402
from leaddesk.clock import FixedClock  # noqa: E402
from leaddesk.domain import Stage, Verdict  # noqa: E402
from leaddesk.handoff import Scope  # noqa: E402
from leaddesk.handoff.selection import waiting_leads  # noqa: E402
from leaddesk.store import Store, open_store  # noqa: E402
from leaddesk.store.models import Lead, SyncOutboxRow, User, VerdictRecord  # noqa: E402
from leaddesk.sync.outgoing import outgoing  # noqa: E402
from leaddesk.sync.salesforce import SalesforceConnector  # noqa: E402
from leaddesk.sync.salesforce_fields import lead_fields  # noqa: E402
from leaddesk.sync.sending import send_waiting  # noqa: E402
from leaddesk.sync.team_settings import SyncSettings, save_settings  # noqa: E402

NOW = datetime(2026, 11, 18, 15, tzinfo=UTC)
# Of a demo's leads, about this share can be made waiting hand-offs (0.52 of 3,836 leads, 0.38
# of 18,381: a bigger demo has more leads already worked).
DEMO_SHARE = 0.36


def waiting_hand_offs(store: Store, wanted: int) -> list[int]:
    """``wanted`` leads qualified with a hand-off verdict, each with its outbox row waiting."""
    with store.transaction() as session:
        ids = list(session.scalars(waiting_leads(Scope.TEAM, 0)))
        template = session.scalar(
            select(VerdictRecord).where(
                VerdictRecord.lead_id == ids[0], VerdictRecord.verdict == Verdict.HAND_OFF
            )
        )
        assert template is not None
        columns = [c.key for c in VerdictRecord.__table__.columns if c.key not in ("id", "lead_id")]
        fresh = session.scalars(
            select(Lead)
            .where(Lead.stage.in_((Stage.NEW, Stage.WORKING, Stage.IN_QUALIFICATION)))
            .order_by(Lead.id)
            .limit(max(0, wanted - len(ids)))
        ).all()
        for lead in fresh:
            lead.stage, lead.stage_changed_at = Stage.QUALIFIED, NOW
            lead.claimed_by_id = None
            lead.sales_owner_id = template.salesperson_id
            copied = {name: getattr(template, name) for name in columns}
            session.add(VerdictRecord(lead_id=lead.id, **copied))
            ids.append(lead.id)
        ids = ids[:wanted]
        for lead_id in ids:
            session.add(SyncOutboxRow(lead_id=lead_id, status="waiting", attempts=0, queued_at=NOW))
    return ids


def csv_floor(rows: list[dict[str, object]], folder: Path) -> float:
    names = sorted({name for row in rows for name in row})
    start = time.perf_counter()
    with (folder / "floor.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
    return time.perf_counter() - start


class TimedConnector:
    """The connector, with the wall time its ``send`` takes summed: the requests, their JSON
    and TLS, and the local Salesforce answering them (what the store's side does is the rest)."""

    def __init__(self, connector: SalesforceConnector) -> None:
        self.connector = connector
        self.name, self.label = connector.name, connector.label
        self.seconds = 0.0

    def send(self, batch: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.connector.send(batch)
        finally:
            self.seconds += time.perf_counter() - start

    def pull(self, since: Any) -> Any:
        return self.connector.pull(since)

    def check(self) -> list[str]:
        return self.connector.check()


class TimedHandler:
    """The local Salesforce's handler, with the wall time it spends on each request summed."""

    def __init__(self, fake: FakeSalesforce) -> None:
        self.fake = fake
        self.seconds = 0.0

    def __call__(self, request: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.fake.handle(request)
        finally:
            self.seconds += time.perf_counter() - start


def main(handoffs: int, profile: bool) -> None:
    keyring.set_keyring(MemoryKeyring())
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line a request otherwise
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = open_store(folder / "bench.sqlite3")
        leads = int(handoffs / DEMO_SHARE) + 200
        start = time.perf_counter()
        fill_demo(store, leads=leads, reps=8, now=NOW)
        with store.transaction() as session:
            save_settings(session, SyncSettings("salesforce"), user_id=None, at=NOW)
        ids = waiting_hand_offs(store, handoffs)
        with store.reading() as session:
            actor = session.scalar(select(User.id).where(User.name == "lead1"))
            settings = SyncSettings("salesforce")
            items = outgoing(session, ids, NOW, connector="salesforce")
        rows = [lead_fields(item, settings) for item in items]
        built = time.perf_counter() - start
        print(f"store of {leads} leads, {len(ids)} hand-offs waiting ({built:.0f} s to build)")

        cert, key = make_certificate(folder)
        server = HTTPServer("127.0.0.1", 0, ssl_context=server_context(cert, key), threaded=True)
        server.start()
        fake = FakeSalesforce(server, f"https://127.0.0.1:{server.port}")
        handler = TimedHandler(fake)
        server.expect_request(re.compile(".*")).respond_with_handler(handler)
        profiler = cProfile.Profile() if profile else None
        try:
            settings = replace(
                settings, login_url=fake.base, client_id=CLIENT_ID, ca_bundle=str(cert)
            )
            connector = TimedConnector(SalesforceConnector(settings, CLIENT_SECRET))
            before = csv_floor(rows, folder)
            start = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            run = send_waiting(store, connector, clock=FixedClock(NOW), actor_id=actor)
            if profiler is not None:
                profiler.disable()
            pushed = time.perf_counter() - start
            after = csv_floor(rows, folder)
        finally:
            server.clear()
            server.stop()
        store.close()
    floor = (before + after) / 2
    requests = len([s for s in fake.seen if "oauth2" not in s.path])
    sent = max(1, len(run.sent))
    print(
        f"pushed {len(run.sent)} hand-offs ({len(run.held)} held) in {pushed:.1f} s: "
        f"{len(run.sent) / pushed:.0f} hand-offs/s, {requests} requests, "
        f"{requests / sent:.3f} requests a hand-off, {floor and pushed / floor:.0f}x the floor"
    )
    print(
        f"floor, csv.writer of the same {len(rows)} rows: {floor * 1000:.0f} ms "
        f"(before {before * 1000:.0f}, after {after * 1000:.0f}): "
        f"{len(rows) / floor:.0f} rows/s; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"the local Salesforce's own handler: {handler.seconds:.1f} s of the {pushed:.1f} s "
        f"({handler.seconds / pushed:.0%}), in its own threads on the same cores"
    )
    print(
        f"the connector's send (requests, JSON, TLS, the local Salesforce): "
        f"{connector.seconds:.1f} s ({connector.seconds / pushed:.0%}); the store's side (claim, "
        f"read the hand-offs, record each answer, hand off): {pushed - connector.seconds:.1f} s"
    )
    if len(run.sent) < handoffs:
        print(f"(the demo store gave {len(run.sent)} hand-offs, not {handoffs}: lower DEMO_SHARE)")
    print(f"Leads in the local Salesforce: {len(fake.leads)}, Tasks: {len(fake.tasks)}")
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"leaddesk|simple_salesforce|requests", 25)
        stats.sort_stats("tottime").print_stats(12)
        print(out.getvalue())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--handoffs", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the sending thread")
    arguments = parser.parse_args()
    main(arguments.handoffs, arguments.profile)
