"""``leaddesk sync``: an admin sets it up (nobody else), ``test`` says what the org lacks,
``status`` what waits, ``run`` sends; and the secret and the token (Salesforce's, HubSpot's
private app token) are found in no file under the store's folder, the log or a backup."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_hubspot import TOKEN, FakeHubSpot
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from tests.cli_in_process import RunCli


def setup_args(salesforce: FakeSalesforce, certificate: tuple[Path, Path], user: str) -> list[str]:
    return [
        "sync", "setup", "salesforce", "--as", user,
        "--login-url", salesforce.base,
        "--client-id", CLIENT_ID,
        "--ca-bundle", str(certificate[0]),
    ]  # fmt: skip


def test_only_an_admin_sets_up_the_sync(
    team: str, run_cli: RunCli, salesforce: FakeSalesforce, certificate: tuple[Path, Path]
) -> None:
    for user in ("rep1", "lead1", "sales1"):
        code, _out, err = run_cli(*setup_args(salesforce, certificate, user), db=team)
        assert code == 3, err
        assert "cannot set up the sync to sales' CRM" in err
    code, out, err = run_cli(
        *setup_args(salesforce, certificate, "admin1"), "--map", "MobilePhone=phone", db=team,
        input=f"{CLIENT_SECRET}\n",
    )  # fmt: skip
    assert code == 0, err
    assert "LeadDesk_Lead_Id__c" in out and "MobilePhone" in out  # the mapping, shown


@pytest.fixture
def fresh_log() -> Iterator[None]:
    """The log this test's commands write, not one an earlier test in the process set up."""
    root = logging.getLogger()
    earlier = [h for h in root.handlers if getattr(h, "leaddesk", False)]
    for handler in earlier:
        root.removeHandler(handler)
    yield
    for handler in [h for h in root.handlers if getattr(h, "leaddesk", False)]:
        root.removeHandler(handler)
        handler.close()
    for handler in earlier:
        root.addHandler(handler)


@pytest.mark.usefixtures("fresh_log")
def test_sync_end_to_end_from_the_command_line_leaves_no_secret_in_any_file(
    team: str,
    clock: FixedClock,
    run_cli: RunCli,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    code, _out, err = run_cli(
        *setup_args(salesforce, certificate, "admin1"), db=team, input=f"{CLIENT_SECRET}\n"
    )
    assert code == 0, err
    code, out, _err = run_cli("sync", "test", "--as", "admin1", db=team)
    assert code == 0 and "the field mapping fits" in out

    lead_id = hand_off(team, clock)
    code, out, _err = run_cli("sync", "status", "--as", "rep1", db=team)
    assert "1 hand-off waiting to sync" in out
    code, out, err = run_cli("sync", "run", "--as", "rep1", db=team)
    assert code == 0, err
    assert "Sent 1 hand-off to Salesforce." in out
    assert len(salesforce.leads_for(lead_id)) == 1
    code, _out, err = run_cli("backup", "--as", "admin1", "--out", f"{tmp_path}/backups/", db=team)
    assert code == 0, err

    secrets = [CLIENT_SECRET.encode(), *(token.encode() for token in salesforce.issued)]
    assert salesforce.issued
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.suffix == ".log" for path in files) and any("backups" in str(p) for p in files)
    for path in files:
        data = path.read_bytes()
        assert not any(secret in data for secret in secrets), f"a secret is in {path}"


def test_sync_test_says_what_the_org_lacks(
    team: str, run_cli: RunCli, salesforce: FakeSalesforce, certificate: tuple[Path, Path]
) -> None:
    run_cli(*setup_args(salesforce, certificate, "admin1"), db=team, input=f"{CLIENT_SECRET}\n")
    salesforce.drop_external_id_field()
    code, out, _err = run_cli(
        "sync", "setup", "salesforce", "--as", "admin1", "--map", "Nickname__c=title", db=team,
        input="\n",
    )  # fmt: skip
    assert code == 0
    code, out, _err = run_cli("sync", "test", "--as", "admin1", db=team)
    assert code == 2
    assert "create the external-id field LeadDesk_Lead_Id__c on Lead" in out
    assert "Lead has no field Nickname__c (mapped from title)" in out


@pytest.mark.usefixtures("fresh_log")
def test_hubspot_from_the_command_line_leaves_its_token_in_no_file(
    team: str,
    clock: FixedClock,
    run_cli: RunCli,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    args = ["sync", "setup", "hubspot", "--api-url", hubspot.base, "--ca-bundle",
            str(certificate[0])]  # fmt: skip
    code, _out, err = run_cli(*args, "--as", "rep1", db=team, input=f"{TOKEN}\n")
    assert code == 3, err
    code, out, err = run_cli(*args, "--as", "admin1", db=team, input=f"{TOKEN}\n")
    assert code == 0, err
    assert "Hand-offs sync to HubSpot" in out and "jobtitle" in out  # the mapping, shown
    code, out, _err = run_cli("sync", "test", "--as", "admin1", db=team)
    assert code == 0 and "signed in to HubSpot" in out

    lead_id = hand_off(team, clock)
    code, out, err = run_cli("sync", "run", "--as", "rep1", db=team)
    assert code == 0, err
    assert "Sent 1 hand-off to HubSpot." in out
    assert len(hubspot.leads_for(lead_id)) == 1
    code, _out, err = run_cli("backup", "--as", "admin1", "--out", f"{tmp_path}/backups/", db=team)
    assert code == 0, err

    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.suffix == ".log" for path in files) and any("backups" in str(p) for p in files)
    for path in files:
        assert TOKEN.encode() not in path.read_bytes(), f"the token is in {path}"


def test_hubspot_setup_without_a_token_says_how_to_give_one(
    team: str, run_cli: RunCli, hubspot: FakeHubSpot
) -> None:
    code, _out, err = run_cli(
        "sync", "setup", "hubspot", "--as", "admin1", "--api-url", hubspot.base, db=team,
        input="\n",
    )  # fmt: skip
    assert code == 2
    assert "HubSpot private app's access token" in err and "--token-file" in err
