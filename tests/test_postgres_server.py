"""The suite's own PostgreSQL (tests/postgres_server.py): one server per session, shared by the
workers, with password logins like Debian's, and gone when the last worker is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests import postgres_server
from tests.postgres_server import SessionFolder, shared_server

# Workers and the watchdog are killed or left to the server on purpose; their Popen
# objects warn when collected. That is what these tests prove, not a leak.
pytestmark_warnings = [
    pytest.mark.filterwarnings("ignore:subprocess .* is still running:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

pytestmark = [
    *pytestmark_warnings,
    pytest.mark.skipif(postgres_server.binaries() is None, reason=postgres_server.why_none()),
]

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import sys, time
from pathlib import Path
from tests.postgres_server import shared_server
with shared_server(Path(sys.argv[1])) as url:
    print(url, flush=True)
    if sys.argv[2] == "stay":
        time.sleep(600)
"""


def worker(root: Path, what: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(root), what],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def stopped(root: Path, pid: int, within: float) -> bool:
    """The server process is gone and the session folder no longer names it."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not postgres_server._alive(pid) and SessionFolder(root).server() is None:
            return True
        time.sleep(0.2)
    return False


def test_workers_share_one_server_and_the_last_one_out_stops_it(tmp_path: Path) -> None:
    with shared_server(tmp_path) as url:
        server = SessionFolder(tmp_path).server()
        assert server is not None
        other = worker(tmp_path, "leave")
        out, _ = other.communicate(timeout=60)
        assert other.returncode == 0
        assert out.strip() == url
        assert postgres_server._alive(server.pid), "a worker leaving early stopped it"
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    assert stopped(tmp_path, server.pid, within=10)
    assert not Path(server.data).exists()


def test_its_superuser_creates_roles_that_sign_in_with_their_password(tmp_path: Path) -> None:
    with shared_server(tmp_path) as url, psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE ROLE someone LOGIN PASSWORD 'right'")
        someone = url.replace("leaddesk:leaddesk@", "someone:{}@")
        with psycopg.connect(someone.format("right")) as theirs:
            assert theirs.execute("SELECT current_user").fetchone() == ("someone",)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(someone.format("wrong"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is how a killed session is simulated")
def test_a_server_whose_workers_were_all_killed_is_stopped_by_its_watchdog(
    tmp_path: Path,
) -> None:
    killed = worker(tmp_path, "stay")
    assert killed.stdout is not None
    assert killed.stdout.readline().startswith("postgresql://")
    server = SessionFolder(tmp_path).server()
    assert server is not None
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=10)
    assert stopped(tmp_path, server.pid, within=20), "the server outlived every worker"
    assert not Path(server.data).exists()
