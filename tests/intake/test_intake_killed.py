"""A killed import takes its cleaning helper with it, and importing again completes it exactly."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.intake import importing
from leaddesk.store import Store
from leaddesk.store.models import ImportRun, Lead, Person

WORKER = Path(__file__).with_name("import_worker.py")
ROOT = Path(__file__).resolve().parents[2]
ROWS = 5 * importing.CHUNK_ROWS  # several chunks: the helper has more to clean when killed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def write_people(path: Path, rows: int) -> Path:
    """Every row a different person, so the store must end with exactly one lead a row."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "Email", "Phone", "Company", "Lead Source"])
        for number in range(rows):
            writer.writerow(
                [
                    "Ada",
                    f"Row{number}",
                    f"row{number}@company{number}.example",
                    f"+1303{3000000 + number:07d}",
                    f"Company {number}",
                    "Webinar",
                ]
            )
    return path


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that never reaps it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def count(store: Store, table: type) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_a_killed_import_takes_its_helper_along_and_importing_again_completes_it(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path, how: signal.Signals
) -> None:
    export = write_people(tmp_path / "webinar.csv", ROWS)
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), store_location, str(export), clock().isoformat(), "webinar"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout is not None
        said = worker.stdout.readline().decode().split()
        assert said[:1] == ["helper"], worker.stderr.read().decode() if worker.stderr else ""
        helpers = [int(pid) for pid in said[1:]]
        assert helpers and all(running(pid) for pid in helpers)
        worker.send_signal(how)
        worker.wait(timeout=30)
        # The helper shared the worker's stdout and stderr: they close only when it is gone.
        try:
            worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("the cleaning helper outlived the killed import and holds its pipes")
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(running(pid) for pid in helpers)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    stored = count(store, Lead)
    assert 0 < stored < ROWS  # killed mid-import, after its first chunk
    with open_desk(store_location, "lead1", clock=clock) as desk:
        again = desk.intake.import_file(export, source="webinar")
    assert again.status == "finished" and again.resumed_after_row is not None
    assert count(store, Lead) == count(store, Person) == ROWS
    with store.reading() as session:
        keys = session.scalar(select(func.count(func.distinct(Lead.import_key))))
        runs = session.scalars(select(ImportRun.status)).all()
    assert keys == ROWS and runs == ["finished"]
