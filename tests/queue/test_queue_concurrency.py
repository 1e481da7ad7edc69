"""Many processes at once: never two claims on one lead, never a lost acknowledged call."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from queue_helpers import Team, add_many_leads
from sqlalchemy import select

from leaddesk.domain import Role
from leaddesk.people import users as user_ops
from leaddesk.store.models import AuditEvent, CallAttempt, Lead

# The test kills workers on purpose; the killed Popen objects warn that they are still
# running when collected. The warning is the point of the test, not a leak.
pytestmark_warnings = [
    pytest.mark.filterwarnings("ignore:subprocess .* is still running:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
pytestmark = pytestmark_warnings


WORKER = Path(__file__).with_name("queue_worker.py")
WORKERS = 8
# On PostgreSQL the workers, started together, meet at the same leads within a few claims. On
# SQLite one worker's claim takes a fraction of a millisecond while the others' busy handlers
# back off, so the pool must last long enough for them to get the write lock in turn.
CLAIMS = {"postgresql": 240, "sqlite": 768}


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_eight_processes_never_claim_the_same_lead(team: Team) -> None:
    """8 workers drain a shared pool of leads with `next`, all started at the same moment.

    Each lead must be claimed exactly once, by the worker that was told it got it, and the
    audit trail (written in the claim's own transaction) must show one claim per lead.
    """
    now = team.clock()
    with team.store.transaction() as s:
        for n in range(3, WORKERS + 1):
            user_ops.add_user(s, name=f"rep{n}", role=Role.QUALIFIER, at=now, actor_id=None)
    claims = CLAIMS[team.store.engine.dialect.name]
    leads = set(add_many_leads(team.store, claims, now=now, owner=None))
    at = now.isoformat()
    procs = {f"rep{n}": _worker("claim", team.location, f"rep{n}", at) for n in range(1, 9)}
    for proc in procs.values():  # each has opened the store; then all start at once
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    claimed: dict[str, list[int]] = {}
    for user, proc in procs.items():
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        claimed[user] = [int(line) for line in out.split()]

    every = Counter(lead for ids in claimed.values() for lead in ids)
    assert sum(every.values()) == claims
    assert set(every) == leads and max(every.values()) == 1
    assert sum(1 for ids in claimed.values() if ids) >= 2  # they really raced
    with team.store.reading() as s:
        holder = dict(s.execute(select(Lead.id, Lead.claimed_by_id)).tuples().all())
        names = {u.name: u.id for u in user_ops.list_users(s)}
        audited = Counter(
            s.scalars(select(AuditEvent.lead_id).where(AuditEvent.action == "claim_taken"))
        )
    assert audited == every
    for user, ids in claimed.items():
        assert all(holder[lead] == names[user] for lead in ids)


def test_killed_process_keeps_every_acknowledged_call(team: Team) -> None:
    now = team.clock()
    leads = add_many_leads(team.store, 400, now=now, owner=team.ids["rep1"])
    proc = _worker("log", team.location, "rep1", now.isoformat(), *map(str, leads))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    acknowledged: list[tuple[int, int]] = []
    for line in proc.stdout:
        call_id, lead_id = map(int, line.split())
        acknowledged.append((call_id, lead_id))
        if len(acknowledged) == 40:
            os.kill(proc.pid, signal.SIGKILL)  # mid-burst: the next call is under way
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    with team.store.reading() as s:
        stored = dict(s.execute(select(CallAttempt.id, CallAttempt.lead_id)).tuples().all())
        attempts = dict(s.execute(select(Lead.id, Lead.attempts)).tuples().all())
        audited = set(
            s.scalars(select(AuditEvent.lead_id).where(AuditEvent.action == "call_logged"))
        )
    for call_id, lead_id in acknowledged:
        assert stored.get(call_id) == lead_id
        assert attempts[lead_id] == 1 and lead_id in audited
    # Whatever was under way is either all there or not at all.
    assert {lead for lead, n in attempts.items() if n} == set(stored.values()) == audited
    if team.store.is_sqlite:
        assert team.store.path is not None
        with sqlite3.connect(team.store.path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
