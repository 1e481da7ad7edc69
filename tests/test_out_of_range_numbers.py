"""A record number past the store's integers (or below 1) names no lead: "no such lead" and
exit 2 wherever it enters, never a database error, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.store import Store
from tests.cli_in_process import RunCli
from tests.factories import small_team

TOO_LARGE = ("2147483648", "3000000000", "99999999999999999999")


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    users = [("rep1", Role.QUALIFIER), ("lead1", Role.TEAM_LEAD), ("sales1", Role.SALES)]
    with small_team(store_location, clock, users) as store:
        yield store


@pytest.mark.parametrize("number", TOO_LARGE)
def test_searching_for_a_lead_number_past_the_stores_finds_nothing(
    store: Store,
    store_location: str,
    number: str,
    run_cli: RunCli,
) -> None:
    code, out, err = run_cli("--db", store_location, "search", f"#{number}", "--as", "lead1")
    assert (code, err) == (0, "") and out.startswith("No lead you may see matches")


@pytest.mark.parametrize("number", [*TOO_LARGE, "0", "-1"])
@pytest.mark.parametrize(
    "command",
    [
        ["lead", "{n}", "--as", "lead1"],
        ["contact", "{n}", "--title", "CTO", "--as", "lead1"],
        ["qualify", "{n}", "--as", "rep1"],
        ["release", "{n}", "--as", "rep1"],
        ["handoff", "show", "{n}", "--as", "sales1"],
        ["import", "--undo", "{n}", "--as", "lead1"],
        ["erase", "{n}", "--reason", "asked", "--as", "lead1"],
        ["erase", "#{n}", "--reason", "asked", "--as", "lead1"],
    ],
    ids=["lead", "contact", "qualify", "release", "handoff-show", "undo", "erase", "erase-#"],
)
def test_a_lead_number_out_of_range_on_the_command_line_exits_2(
    store: Store,
    store_location: str,
    command: list[str],
    number: str,
    run_cli: RunCli,
) -> None:
    args = [part.format(n=number) for part in command]
    if number.startswith("-") and command[0] != "erase":
        args.insert(args.index(number), "--")  # so argparse takes it for the number
    code, out, err = run_cli("--db", store_location, *args)
    assert code == 2, (args, err)
    assert out == "" and "Traceback" not in err and "SQL" not in err
    if number != "-1":  # "-1" is also refused as an option or a phone number: fine
        said = (f"no lead {number}", f"no record {number}", "not a record number")
        assert any(words in err for words in said), err


@pytest.mark.parametrize("number", [2**31, 3_000_000_000, 2**70])
def test_a_lead_number_past_the_stores_through_the_desk_is_no_such_lead(
    store: Store, store_location: str, clock: FixedClock, number: int
) -> None:
    """The window's path: every lead look-up says "no such lead", whichever missed a check."""
    with open_desk(store_location, "lead1", clock=clock) as desk:
        assert desk.queue.search(f"#{number}") == []
        with pytest.raises(InputError, match=r"(?i)no (lead|such record)"):
            desk.queue.lead_file(number)
