"""A refusal names its input as a field (``InputError(field=...)``), never as a flag in its
text: the command line turns the field into the flag the user typed, the window into the box
to focus (tests/ui/test_refusal_focus.py)."""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

import pytest

from leaddesk.cli import build_parser
from leaddesk.cli.refusals import flag_for, said
from leaddesk.errors import Conflict, InputError
from tests.cli_in_process import RunCli

CORE = Path(__file__).resolve().parent.parent / "leaddesk"


def _opening_text(node: ast.AST) -> str | None:
    """The literal text a string expression starts with, if it starts with one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _opening_text(node.values[0])
    return None


def _flag_openings(path: Path, shown: str) -> list[str]:
    """Lines of ``path`` raising (or preparing) a message that opens with a flag."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        messages: list[ast.AST] = []
        if isinstance(node, ast.Call) and node.args:
            messages.append(node.args[0])  # SomeError("--flag: ...") and helpers alike
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            messages.append(node.value)  # message = f"--flag: ..."; raise InputError(message)
        for message in messages:
            text = _opening_text(message)
            if text is not None and re.match(r"--[a-z]", text):  # "--->" is no flag
                found.append(f"{shown}:{node.lineno}: {text[:40]!r}")
    return found


def test_no_core_message_starts_with_a_flag() -> None:
    core = [p for p in sorted(CORE.rglob("*.py")) if "cli" not in p.relative_to(CORE).parts]
    assert len(core) > 50  # the walk found the core
    found = [line for p in core for line in _flag_openings(p, str(p.relative_to(CORE.parent)))]
    assert found == []


def test_the_scan_sees_a_flag_in_a_raise_and_in_a_prepared_message(tmp_path: Path) -> None:
    # The check above would pass on an empty walk; this one proves it catches what it looks for.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(x):\n"
        '    message = f"--outcome: {x} is not an outcome"\n'
        '    raise InputError("--note: too long")\n'
        '    raise InputError("the reason is empty", field="reason")\n'
        '    return x.find("-->")  # an HTML comment closing, no flag\n',
        encoding="utf-8",
    )
    found = _flag_openings(sample, "sample.py")
    assert [line.split(": ", 1)[0] for line in found] == ["sample.py:2", "sample.py:3"]


def _parsers(*command: str) -> list[argparse.ArgumentParser]:
    parser = build_parser()
    chain = [parser]
    for word in command:
        sub = next(a for a in chain[-1]._actions if isinstance(a, argparse._SubParsersAction))
        chain.append(sub.choices[word])
    return chain


@pytest.mark.parametrize(
    ("command", "field", "flag"),
    [
        (("log-call",), "callback", "--callback"),  # the usual case: --FIELD
        (("contact",), "first_name", "--first-name"),  # _ becomes -
        (("contact",), "lead_id", "LEAD_ID"),  # a positional argument: its metavar
        (("users", "add"), "name", "name"),  # a positional without a metavar: its name
        (("add-lead",), "for_user", "--for"),  # the flag's dest differs from its spelling
        (("import",), "db", "--db"),  # the top command's own flag
        (("users", "password"), "password", "--password-file"),  # the explicit table
        (("import",), "keep_mine", "--share"),
        (("contact",), "direct_line", None),  # the command takes no such input
        ((), "no_such_input", None),  # nothing knows it
    ],
)
def test_a_field_is_said_as_the_flag_the_command_takes(
    command: tuple[str, ...], field: str, flag: str | None
) -> None:
    assert flag_for(field, _parsers(*command)) == flag


def test_a_refusal_about_input_the_command_does_not_take_names_no_option() -> None:
    # A sync run refused at the CRM's sign-in: the client id is what `sync setup` stored, and
    # `sync run` has no --client-id to name.
    refused = InputError("Salesforce refused the sign-in: invalid_client.", field="client_id")
    assert said(refused, _parsers("sync", "run")) == refused.message
    assert said(refused, _parsers("sync", "setup")).startswith("--client-id: ")
    assert said(refused) == f"--client-id: {refused.message}"  # no parser to ask


def test_only_an_input_error_with_a_field_gets_a_flag() -> None:
    parsers = _parsers("log-call")
    refused = InputError("the agreed time has already passed", field="callback")
    assert said(refused, parsers) == "--callback: the agreed time has already passed"
    assert said(InputError("No lead 7."), parsers) == "No lead 7."
    assert said(Conflict("Lead 7 was changed meanwhile."), parsers) == (
        "Lead 7 was changed meanwhile."
    )


def test_the_command_names_the_flag_of_the_field_the_core_refused(
    store_location: str, run_cli: RunCli
) -> None:
    def leaddesk(*args: str) -> tuple[int, str]:
        done = run_cli(*args, db=store_location)
        return done.returncode, done.stderr

    # Refused while the store has no users yet, so anyone may add one.
    code, err = leaddesk("users", "add", "Not A Login!", "--role", "qualifier")
    assert code == 2 and err.startswith("leaddesk: name: 'not a login!' is not a usable login")
    code, err = leaddesk("users", "add", "rep2", "--role", "qualifier", "--display-name", " ")
    assert (code, err) == (2, "leaddesk: --display-name: give the name the team knows them by\n")
    assert leaddesk("users", "add", "rep1", "--role", "qualifier")[0] == 0
    added = run_cli(
        "add-lead", "--as", "rep1", "--first-name", "Ada",
        "--phone", "+44 20 7946 0958", "--json", db=store_location,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    lead = str(json.loads(added.stdout)["lead_id"])

    code, err = leaddesk(
        "log-call", lead, "--as", "rep1", "--outcome", "callback",
        "--callback", "2020-01-02T10:00+00:00",
    )  # fmt: skip
    assert (code, err) == (2, "leaddesk: --callback: the agreed time has already passed\n")
    code, err = leaddesk("contact", lead, "--as", "rep1", "--email", "ada@")
    assert code == 2 and err.startswith("leaddesk: --email: 'ada@' is "), err
