"""Passwords from the command line: users password, --password-file, and exit 3 without one."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.store import open_store
from leaddesk.store.models import User
from tests.cli_in_process import RunCli


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def passworded(store_location: str, tmp_path: Path, run_cli: RunCli) -> list[str]:
    """A store whose admin turned passwords on: admin and rep1 have one."""
    db = ["--db", store_location]
    assert run_cli(*db, "init")[0] == 0
    assert run_cli(*db, "users", "add", "admin", "--role", "admin")[0] == 0
    for name, role in (("rep1", "qualifier"), ("sales1", "sales")):
        assert run_cli(*db, "users", "add", name, "--role", role, "--as", "admin")[0] == 0
    admin_pw = _file(tmp_path, "admin.pw", "admin-secret")
    code, out, err = run_cli(
        *db, "users", "password", "admin", "--as", "admin", "--password-file", admin_pw
    )
    assert (code, err) == (0, ""), err
    assert "now asks everyone for their password" in out
    code, _, err = run_cli(
        *db,
        "users",
        "password",
        "rep1",
        "--as",
        "admin",
        "--as-password-file",
        admin_pw,
        "--password-file",
        _file(tmp_path, "rep1.pw", "rep1-secret"),
    )
    assert code == 0, err
    return db


def test_without_a_password_the_command_is_refused_with_exit_3(
    passworded: list[str], run_cli: RunCli
) -> None:
    code, out, err = run_cli(*passworded, "queue", "--as", "rep1")
    assert code == 3 and out == ""
    assert "has passwords: give rep1's with --password-file FILE" in err
    assert "Traceback" not in err


def test_a_wrong_password_is_refused_with_exit_3(
    passworded: list[str], tmp_path: Path, run_cli: RunCli
) -> None:
    wrong = _file(tmp_path, "wrong.pw", "admin-secret")
    code, _, err = run_cli(*passworded, "queue", "--as", "rep1", "--password-file", wrong)
    assert code == 3
    assert err.strip() == "leaddesk: Wrong password for rep1; nothing was done."


def test_the_right_password_file_signs_in(
    passworded: list[str], tmp_path: Path, run_cli: RunCli
) -> None:
    right = _file(tmp_path, "right.pw", "rep1-secret")
    code, _, err = run_cli(*passworded, "queue", "--as", "rep1", "--password-file", right, "--json")
    assert (code, err) == (0, "")


def test_a_missing_password_file_is_named(
    passworded: list[str], tmp_path: Path, run_cli: RunCli
) -> None:
    missing = str(tmp_path / "nope.pw")
    code, _, err = run_cli(*passworded, "queue", "--as", "rep1", "--password-file", missing)
    assert code == 2 and f"--password-file {missing}: no such file" in err


def test_a_rep_cannot_set_a_colleagues_password(
    passworded: list[str], tmp_path: Path, run_cli: RunCli
) -> None:
    code, _, err = run_cli(
        *passworded,
        "users",
        "password",
        "sales1",
        "--as",
        "rep1",
        "--as-password-file",
        _file(tmp_path, "r.pw", "rep1-secret"),
        "--password-file",
        _file(tmp_path, "s.pw", "sales1-mine"),
    )
    assert code == 3 and "only their own password" in err


def test_the_hash_never_appears_in_output_or_the_log(
    passworded: list[str],
    store_location: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    run_cli: RunCli,
) -> None:
    store = open_store(store_location)
    with store.reading() as session:
        hashes = [h for h in session.scalars(select(User.password_hash)) if h]
    store.close()
    assert len(hashes) == 2
    admin_pw = _file(tmp_path, "a.pw", "admin-secret")
    caplog.set_level(logging.DEBUG)
    seen = []
    for args in (
        ("users", "list", "--json", "--as", "admin", "--password-file", admin_pw),
        ("users", "list", "--as", "admin", "--password-file", admin_pw),
        ("queue", "--as", "rep1"),
        ("queue", "--as", "rep1", "--password-file", admin_pw),
    ):
        seen.append(run_cli(*passworded, *args))
    listed = json.loads(seen[0][1])
    assert {u["name"] for u in listed} == {"admin", "rep1", "sales1"}
    everything = "".join(out + err for _, out, err in seen) + caplog.text
    for stored in hashes:
        assert stored not in everything
    assert "$argon2" not in everything and "rep1-secret" not in everything


# A team database always asks who is acting: only a store file has an owner acting without --as.
@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_the_store_owner_needs_to_sign_in_once_passwords_are_on(
    passworded: list[str], run_cli: RunCli
) -> None:
    code, _, err = run_cli(*passworded, "users", "add", "sneaky", "--role", "admin")
    assert code == 3 and "has passwords: name who is acting with --as" in err


def test_demo_with_passwords_prints_them_and_they_work(tmp_path: Path, run_cli: RunCli) -> None:
    db = ["--db", str(tmp_path / "demo.sqlite3")]
    code, out, err = run_cli(*db, "demo", "--leads", "20", "--reps", "1", "--passwords")
    assert code == 0, err
    assert "rep1    demo-rep1" in out and "admin   demo-admin" in out
    right = _file(tmp_path, "rep1.pw", "demo-rep1")
    assert run_cli(*db, "queue", "--as", "rep1", "--password-file", right)[0] == 0
    assert run_cli(*db, "queue", "--as", "rep1")[0] == 3


def test_a_hand_off_batch_from_a_passworded_store_carries_no_hash(
    tmp_path: Path, run_cli: RunCli
) -> None:
    db = ["--db", str(tmp_path / "demo.sqlite3")]
    # A Wednesday afternoon: the day's verdicts still wait for tonight's export (on a Monday
    # morning the weekend left none).
    wednesday = "2026-11-18T15:00+00:00"
    demo = ("demo", "--leads", "300", "--reps", "2", "--passwords", "--now", wednesday)
    assert run_cli(*db, *demo)[0] == 0
    lead = _file(tmp_path, "lead1.pw", "demo-lead1")
    out = tmp_path / "out"
    code, printed, err = run_cli(
        *db,
        "export",
        "--team",
        "--as",
        "lead1",
        "--password-file",
        lead,
        "--out",
        str(out),
        "--xlsx",
    )
    assert code == 0, err
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written, printed
    for path in written:
        data = path.read_bytes()
        assert b"$argon2" not in data and b"demo-lead1" not in data, path.name
