"""A machine that lacks something LeadDesk needs is told what, and the command that adds it:
Qt's platform libraries before Qt aborts, fonts, the PostgreSQL driver, via --self-test too."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leaddesk import cli
from leaddesk.checkup import qt_platform, self_test, system_packages
from leaddesk.checkup.system_packages import Library
from leaddesk.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = Library("libleaddesk-not-there.so.7", "libleaddesk-not-there7", "leaddesk-not-there")
PRESENT = Library("libc.so.6", "libc6", "glibc")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's loader")


@linux_only
def test_missing_window_library_is_named_with_the_command_that_installs_it() -> None:
    with pytest.raises(InputError) as raised:
        qt_platform.require_window_platform(
            {"QT_QPA_PLATFORM": "xcb"}, libraries={"xcb": (PRESENT, NOWHERE)}
        )
    said = raised.value.message
    assert "libleaddesk-not-there.so.7" in said
    assert "install -y libleaddesk-not-there7" in said or "libleaddesk-not-there7" in said
    assert "libc.so.6" not in said  # only what is missing
    assert raised.value.exit_code == 2


def test_headless_platforms_need_no_desktop_libraries() -> None:
    for platform in ("offscreen", "minimal"):
        found = qt_platform.check_platform(
            {"QT_QPA_PLATFORM": platform}, system="linux", libraries={platform: (NOWHERE,)}
        )
        assert found.ok and found.platform == platform


@linux_only
def test_a_wayland_session_falls_back_to_xcb_like_qt_does() -> None:
    session = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    table = {"wayland": (NOWHERE,), "xcb": (PRESENT,)}
    assert qt_platform.check_platform(session, libraries=table).platform == "xcb"
    lacking = qt_platform.check_platform(
        session, libraries={"wayland": (NOWHERE,), "xcb": (NOWHERE,)}
    )
    assert lacking.platform == "wayland" and not lacking.ok


def test_macos_and_windows_are_not_checked_for_linux_libraries() -> None:
    for system in ("darwin", "win32"):
        assert qt_platform.check_platform({}, system=system, libraries={"xcb": (NOWHERE,)}).ok


def test_install_command_follows_the_distribution() -> None:
    libraries = [system_packages.XCB[2], system_packages.XCB[3]]
    debian = system_packages.install_command(libraries, {"ID": "ubuntu", "ID_LIKE": "debian"})
    fedora = system_packages.install_command(libraries, {"ID": "fedora"})
    assert debian.endswith("apt-get install -y libxcb-icccm4 libxcb-keysyms1")
    assert fedora.endswith("dnf install -y xcb-util-wm xcb-util-keysyms")


def test_a_qt_import_failing_on_a_system_library_names_its_package() -> None:
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    said = qt_platform.missing_library_message(error)
    assert said is not None and "libEGL.so.1" in said and "libegl1" in said
    assert qt_platform.missing_library_message(ImportError("No module named 'x'")) is None


@linux_only
def test_the_window_stops_before_qt_when_a_platform_library_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui import app

    monkeypatch.setattr(system_packages, "PLATFORM_LIBRARIES", {"xcb": (NOWHERE,)})
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    store = tmp_path / "demo.sqlite3"
    code = cli.main(["--db", str(store), "gui", "--as", "rep1"], open_window=app.open_window)
    err = capsys.readouterr().err
    assert code == 2
    assert "libleaddesk-not-there.so.7" in err and "libleaddesk-not-there7" in err
    assert not store.exists()


def run_self_test(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main([*args, "--self-test"])
    return code, capsys.readouterr().out


@linux_only
def test_self_test_passes_on_a_ready_machine_and_names_every_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(self_test, "count_fonts", lambda: 12)
    code, out = run_self_test(capsys, "--db", str(tmp_path / "new" / "leads.sqlite3"))
    assert code == 0, out
    for name in ("store", "Qt platform", "fonts", "keyring", "PostgreSQL"):
        assert f" {name} " in out
    assert "Ready" in out
    assert not (tmp_path / "new").exists()  # a check, not a setup


@linux_only
def test_self_test_fails_naming_the_missing_library_and_its_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(system_packages, "PLATFORM_LIBRARIES", {"xcb": (PRESENT, NOWHERE)})
    code, out = run_self_test(capsys, "--db", str(tmp_path / "s.sqlite3"))
    assert code == 2
    missing = [line for line in out.splitlines() if line.strip().startswith("MISSING")]
    assert len(missing) == 1 and "libleaddesk-not-there.so.7" in missing[0]
    assert "fix:" in out and "libleaddesk-not-there7" in out


def test_self_test_fails_on_a_store_path_under_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    (tmp_path / "notes.txt").write_text("x")
    code, out = run_self_test(capsys, "--db", str(tmp_path / "notes.txt" / "s.sqlite3"))
    assert code == 2
    assert "notes.txt is a file, not a folder" in out


def test_no_fonts_is_a_failure_with_the_package_to_install() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("fontconfig is Linux's")
    none = self_test.fonts(lambda: 0)
    assert (none.failed and "fonts-dejavu-core" in none.fix) or "dejavu-sans-fonts" in none.fix
    assert self_test.fonts(lambda: None).failed
    assert not self_test.fonts(lambda: 3).failed


@linux_only
def test_fontconfig_is_asked_for_real() -> None:
    found = self_test.count_fonts()
    if found is None:
        pytest.skip("no fontconfig on this machine")
    assert found >= 0
    assert self_test.count_fonts("libleaddesk-not-there.so.7") is None


def test_a_missing_keyring_is_only_a_warning() -> None:
    assert self_test.keyring().status in (self_test.Status.OK, self_test.Status.WARNING)


def test_self_test_opens_no_window_and_loads_no_qt(tmp_path: Path) -> None:
    probe = (
        "import sys; from leaddesk.cli import main; code = main(['--self-test']); "
        "print('QT-LOADED' if 'PySide6' in sys.modules else 'NO-QT'); sys.exit(code)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path)},
        timeout=120,
    )
    assert ran.stdout.strip().endswith("NO-QT"), ran.stdout + ran.stderr
    assert " fonts " in ran.stdout and " PostgreSQL " in ran.stdout


# Without psycopg: every import of it fails, as on a machine where it was never installed.
WITHOUT_PSYCOPG = textwrap.dedent(
    """
    import sys

    class NoPsycopg:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("psycopg", "psycopg_binary", "psycopg_c"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoPsycopg())
    from leaddesk.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def run_without_psycopg(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PSYCOPG, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path)},
        timeout=120,
    )


def test_a_postgresql_store_without_the_driver_says_the_command_that_adds_it(
    tmp_path: Path,
) -> None:
    ran = run_without_psycopg(
        tmp_path, "--db", "postgresql://rep:secret@127.0.0.1:5432/team", "queue", "--as", "rep1"
    )
    assert ran.returncode == 2, ran.stderr
    assert "This is a bug" not in ran.stderr
    assert "pip install 'psycopg[binary]>=3.1,<4'" in ran.stderr


def test_self_test_reports_a_missing_postgresql_driver(tmp_path: Path) -> None:
    ran = run_without_psycopg(tmp_path, "--self-test")
    assert ran.returncode == 2, ran.stdout + ran.stderr
    (line,) = [line for line in ran.stdout.splitlines() if " PostgreSQL " in line]
    assert line.strip().startswith("MISSING")
    assert "psycopg[binary]" in ran.stdout


def test_self_test_reaches_the_team_database(
    postgres_url: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not postgres_url:
        pytest.skip("no PostgreSQL configured: set LEADDESK_TEST_POSTGRES_URL (.ci/run does)")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code, out = run_self_test(capsys, "--db", postgres_url)
    assert code == 0, out
    assert "(reachable)" in out and "secret" not in out


def test_self_test_fails_on_a_server_that_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code, out = run_self_test(capsys, "--db", "postgresql://rep:secret@127.0.0.1:9/team")
    assert code == 2
    (line,) = [line for line in out.splitlines() if " store " in line]
    assert line.strip().startswith("MISSING") and "secret" not in out
