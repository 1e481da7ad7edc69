"""Where the huddle pack goes and who may make it: a new dated folder each time, whole or not
at all, beside the hand-off exports unless the lead names one; refused to reps and in folders
others can write in; from the command line as `report huddle`. The store is the pack tests'
hand-built one (test_huddle_pack.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.settings import EXPORT_FOLDER, Settings
from leaddesk.team.reports import huddle
from leaddesk.team.reports.huddle import default_folder
from tests.cli_in_process import RunCli
from tests.factories import Team
from tests.one_store import sqlite_only
from tests.team.test_huddle_pack import HandBuilt, build_store, make_pack


@pytest.fixture
def store(team: Team) -> HandBuilt:
    return build_store(team)


@pytest.fixture
def sqlite_store(sqlite_store_path: Path, clock: FixedClock) -> Iterator[HandBuilt]:
    """The same store on SQLite only: what these tests check does not depend on the database
    (the pack's figures are checked on both in test_huddle_pack.py)."""
    team = Team(str(sqlite_store_path), clock)
    team.user("lead1", Role.TEAM_LEAD)
    team.user("rep1")
    team.user("rep2")
    yield build_store(team)
    team.store.close()


# The pack's folders on disk (its figures are checked on both stores): SQLite is enough.
@sqlite_only
def test_making_it_again_gives_a_second_folder_and_leaves_no_temporary_one(
    store: HandBuilt,
    tmp_path: Path,
) -> None:
    first = make_pack(store, tmp_path / "packs")
    second = make_pack(store, tmp_path / "packs")
    assert second.name == first.name + "-2"
    assert sorted(path.name for path in (tmp_path / "packs").iterdir()) == [first.name, second.name]


def test_a_rep_may_not_make_the_pack(store: HandBuilt, tmp_path: Path) -> None:
    with pytest.raises(NotPermitted):
        make_pack(store, tmp_path / "packs", "rep1")
    assert not (tmp_path / "packs").exists()


def test_an_admin_may(store: HandBuilt, tmp_path: Path) -> None:
    store.team.user("boss", Role.ADMIN)
    assert (make_pack(store, tmp_path / "packs", "boss") / "huddle.html").is_file()


def test_the_cli_writes_the_pack_and_names_the_page(
    sqlite_store: HandBuilt,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    store = sqlite_store
    code, out, err = run_cli(
        "report",
        "huddle",
        "--since",
        "2026-11-16",
        "--until",
        "2026-11-18",
        "--out",
        tmp_path / "packs",
        "--as",
        "lead1",
        db=store.team.location,
    )
    assert (code, err) == (0, "")
    page = tmp_path / "packs" / "huddle-2026-11-16-to-2026-11-18" / "huddle.html"
    assert str(page) in out
    assert out.splitlines()[1] == (
        "4 rejections, 3 hand-offs waiting for sales, 1 verdict overridden; "
        "8 CSV files beside the page."
    )


def test_the_cli_asks_for_the_first_day(sqlite_store: HandBuilt, run_cli: RunCli) -> None:
    store = sqlite_store
    code, _out, err = run_cli("report", "huddle", "--as", "lead1", db=store.team.location)
    assert code == 2
    assert err.startswith("leaddesk: --since: report huddle needs the first day")


# The folder's permissions, not the store: SQLite is enough.
@sqlite_only
def test_a_folder_others_can_write_in_is_refused(store: HandBuilt, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(InputError, match="anyone on this computer can write in it"):
        make_pack(store, shared)


def test_matplotlib_is_loaded_only_to_draw_a_pack() -> None:
    probe = (
        "import sys, leaddesk.desk.team, leaddesk.cli.team_commands, "
        "leaddesk.team.reports.huddle; print('matplotlib' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "False"


def test_without_out_the_pack_goes_beside_the_hand_off_exports(
    sqlite_store: HandBuilt,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    store = sqlite_store
    args = ("report", "huddle", "--since", "2026-11-16", "--until", "2026-11-18", "--json")
    code, out, err = run_cli(*args, "--as", "lead1", db=store.team.location)
    assert (code, err) == (0, "")
    documents = tmp_path / "home" / "Documents"  # the window's "LeadDesk handoffs" is here
    folder = documents / "LeadDesk huddles" / "huddle-2026-11-16-to-2026-11-18"
    assert json.loads(out)["folder"] == str(folder)
    assert (folder / "huddle.html").is_file()


def test_a_chosen_export_folder_puts_the_packs_beside_it(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings[EXPORT_FOLDER] = str(tmp_path / "work" / "handoffs")
    assert default_folder(settings) == tmp_path / "work" / "LeadDesk huddles"


def test_a_disk_failing_mid_pack_leaves_no_pack_and_no_temporary_folder(
    sqlite_store: HandBuilt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sqlite_store
    written: list[int] = []

    def fsync(handle: int) -> None:
        written.append(handle)
        if len(written) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(huddle.os, "fsync", fsync)
    with pytest.raises(InputError, match="No space left on device"):
        make_pack(store, tmp_path / "packs")
    assert list((tmp_path / "packs").iterdir()) == []
