"""``leaddesk`` imports what the command it runs needs (issue #24): the module registering that
command, not every command's; nothing of the core for ``--version``. Help and misspellings
still see every command, as before."""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaddesk import __version__
from leaddesk.cli import COMMAND_MODULES, COMMANDS, build_parser, modules_for
from leaddesk.cli.reference import commands
from leaddesk.desk import setup_desk
from leaddesk.domain import Role
from tests.cli_in_process import RunCli

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "leaddesk" / "cli"
# What the installed ``leaddesk`` script runs, writing the modules it loaded to $MODULES_TO.
ENTRY = (
    "import atexit, os, sys\n"
    "atexit.register(lambda: open(os.environ['MODULES_TO'], 'w').write('\\n'.join(sys.modules)))\n"
    "from ui.app import main\n"
    "sys.exit(main())\n"
)
# Loaded by code `leaddesk queue` never runs (imports, hand-offs, passwords, the keyring).
NOT_FOR_THE_QUEUE = (
    "openpyxl",
    "rapidfuzz",
    "charset_normalizer",
    "email_validator",
    "argon2",
    "keyring",
    "leaddesk.intake",
    "leaddesk.handoff",
    "leaddesk.admin",
)


def _registered_by(module: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subcommands = parser.add_subparsers()
    importlib.import_module(f"leaddesk.cli.{module}").register(subcommands)
    return set(subcommands.choices)


def _started(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``leaddesk ARGS`` as its own process, and the modules it imported."""
    record = tmp_path / "modules.txt"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MODULES_TO": str(record)}
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        environment[name] = str(tmp_path / name.lower())
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=tmp_path,
    )
    return done, set(record.read_text(encoding="utf-8").split())


def _loaded(modules: set[str], package: str) -> list[str]:
    return sorted(name for name in modules if name == package or name.startswith(package + "."))


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_command_table_names_every_command_each_module_registers(module: str) -> None:
    listed = {command for command, registrar in COMMANDS.items() if registrar == module}
    assert _registered_by(module) == listed, (
        f"leaddesk/cli/__init__.py COMMANDS must name exactly the commands {module} registers"
    )


def test_every_command_module_is_in_the_table_or_registered_by_one_in_it() -> None:
    # A new commands module left out of COMMANDS would never be registered at all.
    imported_by_listed = set()
    for module in COMMAND_MODULES:
        tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "leaddesk.cli":
                imported_by_listed.update(alias.name for alias in node.names)
    registering = sorted(
        path.stem
        for path in CLI.glob("*.py")
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "register"
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        )
    )
    left_out = [m for m in registering if m not in COMMAND_MODULES and m not in imported_by_listed]
    assert left_out == [], f"add their commands to COMMANDS in leaddesk/cli/__init__.py: {left_out}"


@pytest.mark.parametrize(
    ("argv", "needed"),
    [
        (["--version"], []),
        ([], []),
        (["--db", "x.sqlite3"], []),
        (["--self-test"], []),
        (["gui", "--as", "rep1"], []),
        (["queue", "--json", "--as", "rep1"], ["queue_commands"]),
        (["--db", "x.sqlite3", "next", "--as", "rep1"], ["queue_commands"]),
        (["--db=x.sqlite3", "users", "add", "rep5"], ["setup_commands"]),
        (["--db", "queue", "init"], ["setup_commands"]),  # a store file named like a command
        (["qualify", "--help"], ["qualify_command"]),
    ],
)
def test_a_command_needs_only_the_module_registering_it(argv: list[str], needed: list[str]) -> None:
    assert modules_for(argv) == needed


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["--help", "queue"], ["quueue"], ["--d", "x.sqlite3", "queue"], ["-5"]],
)
def test_wherever_argparse_may_list_the_commands_every_module_registers(
    argv: list[str],
) -> None:
    assert modules_for(argv) == COMMAND_MODULES


def test_each_command_and_subcommand_helps_as_with_every_command_registered() -> None:
    everything = {command.words: command.parser for command in commands(build_parser())}
    for name in COMMANDS:
        alone = {command.words: command.parser for command in commands(build_parser([name]))}
        own = {words: parser for words, parser in everything.items() if words[0] == name}
        assert {words for words in alone if words[0] == name} == own.keys(), name
        for words, parser in own.items():
            assert alone[words].format_help() == parser.format_help(), " ".join(words)


def test_a_misspelt_command_is_refused_naming_every_command(run_cli: RunCli) -> None:
    code, _out, err = run_cli("quueue")
    assert code == 2
    assert "invalid choice: 'quueue'" in err
    assert all(f"'{command}'" in err for command in COMMANDS)


def test_leaddesk_help_lists_every_command(run_cli: RunCli) -> None:
    code, out, _err = run_cli("--help")
    assert code == 0
    assert all(command in out for command in COMMANDS)


def test_version_starts_without_any_command_module_or_room_of_the_core(tmp_path: Path) -> None:
    done, modules = _started(tmp_path, "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"LeadDesk {__version__}")
    commands_loaded = [m for m in _loaded(modules, "leaddesk.cli") if m.endswith("_commands")]
    assert commands_loaded == [] and _loaded(modules, "sqlalchemy") == []
    core = {name.split(".")[1] for name in _loaded(modules, "leaddesk") if "." in name}
    assert core <= {"cli", "desk", "clock", "domain", "errors"}, sorted(core)


def test_queue_loads_its_commands_and_nothing_only_other_commands_need(
    tmp_path: Path, sqlite_store_path: Path
) -> None:
    with setup_desk(sqlite_store_path) as desk:
        desk.people.add("rep1", Role.QUALIFIER)

    store = str(sqlite_store_path)
    done, modules = _started(tmp_path, "--db", store, "queue", "--json", "--as", "rep1")

    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "[]", "")
    cli_modules = {m.rpartition(".")[2] for m in _loaded(modules, "leaddesk.cli")}
    assert cli_modules & set(COMMAND_MODULES) == {"queue_commands"}
    assert [m for m in NOT_FOR_THE_QUEUE if _loaded(modules, m)] == []
