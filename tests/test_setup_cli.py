"""Setting a team up from the command line, the way a new team does it from the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaddesk.cli import main
from tests.cli_in_process import RunCli


def test_init_and_users_list_take_as_once_a_team_database_has_users(
    store_location: str, run_cli: RunCli
) -> None:
    db = ["--db", store_location]
    assert run_cli(*db, "init")[0] == 0
    assert run_cli(*db, "users", "add", "admin1", "--role", "admin")[0] == 0
    added = run_cli(*db, "users", "add", "lead1", "--role", "team_lead", "--as", "admin1")
    assert added[0] == 0

    code, out, err = run_cli(*db, "init", "--as", "admin1")
    assert (code, err) == (0, "")
    assert out.startswith("Store ready:")
    code, out, err = run_cli(*db, "users", "list", "--json", "--as", "lead1")
    assert (code, err) == (0, "")
    assert [user["name"] for user in json.loads(out)] == ["admin1", "lead1"]

    # The store's owner acts without --as on a SQLite file only: a team database asks who.
    code, _, err = run_cli(*db, "users", "list")
    if store_location.startswith("postgresql"):
        assert code == 3 and "--as" in err
    else:
        assert code == 0


def test_demo_takes_as(sqlite_store_path: Path, run_cli: RunCli) -> None:
    db = ["--db", str(sqlite_store_path)]
    assert run_cli(*db, "users", "add", "lead1", "--role", "team_lead")[0] == 0
    code, _, err = run_cli(*db, "demo", "--leads", "10", "--as", "lead1")
    assert code == 3 and "lead1 is a team lead and cannot set up" in err


def test_users_add_takes_territories_as_set_does_and_refuses_a_country_name(
    sqlite_store_path: Path, run_cli: RunCli
) -> None:
    db = ["--db", str(sqlite_store_path)]
    code, out, err = run_cli(
        *db,
        "users",
        "add",
        "rep1",
        "--role",
        "qualifier",
        "--display-name",
        "Rory Rep",
        "--territory",
        "de",
        "AT",
        "--territory",
        "gb",
        "--json",
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["territories"] == ["AT", "DE", "GB"]

    code, out, err = run_cli(
        *db, "users", "add", "rep2", "--role", "qualifier", "--territory", "Germany"
    )
    assert (code, out) == (2, "")
    assert err == "leaddesk: --territory: 'Germany' is not a country code like DE or US\n"
    code, out, _ = run_cli(*db, "users", "list", "--json")
    assert [user["name"] for user in json.loads(out)] == ["rep1"]


def test_users_set_keeps_every_repeated_territory(sqlite_store_path: Path, run_cli: RunCli) -> None:
    db = ["--db", str(sqlite_store_path)]
    run_cli(*db, "users", "add", "lead1", "--role", "team_lead")
    run_cli(*db, "users", "add", "rep1", "--role", "qualifier")
    code, out, err = run_cli(
        *db, "users", "set", "rep1", "--territory", "US", "--territory", "CA", "MX", "--as", "lead1"
    )
    assert (code, err) == (0, "")
    assert out == "rep1: territories anywhere → CA MX US.\n"


def test_users_list_shows_territories(sqlite_store_path: Path, run_cli: RunCli) -> None:
    db = ["--db", str(sqlite_store_path)]
    run_cli(*db, "users", "add", "rep1", "--role", "qualifier", "--territory", "US")
    run_cli(*db, "users", "add", "rep2", "--role", "qualifier")
    run_cli(*db, "users", "add", "sales1", "--role", "sales")
    code, out, _ = run_cli(*db, "users", "list")
    assert code == 0
    rows = {line.split()[0]: line.split()[5:] for line in out.splitlines()[2:]}
    assert rows == {"rep1": ["US"], "rep2": ["anywhere"], "sales1": []}


def test_a_missing_store_file_says_how_to_create_that_file(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "our team.sqlite3"
    code, _, err = run_cli("--db", str(path), "users", "list")
    assert code == 2 and not path.exists()
    hint = f"leaddesk --db '{path}' init"
    assert err == f"leaddesk: No LeadDesk store at {path}. Create one with: {hint}\n"
    assert run_cli("--db", str(path), "init")[0] == 0
    assert run_cli("--db", str(path), "users", "list")[0] == 0


def test_an_option_a_command_does_not_take_points_at_that_commands_help(
    sqlite_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(sqlite_store_path), "users", "set", "rep1", "--as", "x", "--nmae", "y"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "leaddesk users set: unrecognized arguments: --nmae y (see 'leaddesk users set --help')\n"
    )


def test_a_display_name_given_for_a_user_name_says_which_user_name(
    sqlite_store_path: Path, run_cli: RunCli
) -> None:
    db = ["--db", str(sqlite_store_path)]
    run_cli(*db, "users", "add", "rep1", "--role", "qualifier", "--display-name", "Rory Rep")
    code, out, err = run_cli(*db, "queue", "--as", "rory rep")
    assert (code, out) == (2, "")
    assert err == "leaddesk: 'rory rep' is rep1's display name; use the user name rep1.\n"


def test_a_store_begun_with_users_add_has_its_lead_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "new.sqlite3")
    assert main(["--db", store, "users", "add", "rep1", "--role", "qualifier"]) == 0
    capsys.readouterr()
    assert main(["--db", store, "definition", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 1
