"""docs/cli.md is the CLI's own parser written out: current, complete, the same on any terminal."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from leaddesk.cli import build_parser
from leaddesk.cli.reference import DATA_FOLDER, REGENERATE, reference

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"


def _every_command(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Walked straight from argparse, apart from the module under test; aliases included."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found[(*words, name)] = child
                found.update(_every_command(child, (*words, name)))
    return found


def _as_written(text: str) -> str:
    """Help as the reference writes it: on one line, this user's data folder as a word."""
    here = platformdirs.user_data_dir("LeadDesk", appauthor=False)
    return " ".join(text.split()).replace(here + os.sep, DATA_FOLDER + "/")


def _sections(text: str) -> dict[str, str]:
    """Each '## `leaddesk …`' heading's text, up to the next heading."""
    sections: dict[str, str] = {}
    for chunk in text.split("\n## `")[1:]:
        heading, _, body = chunk.partition("`\n")
        sections[heading] = body
    return sections


def test_docs_cli_md_is_what_the_parser_gives_today() -> None:
    written = CLI_DOC.read_text(encoding="utf-8") if CLI_DOC.exists() else ""
    assert written == reference(build_parser()), (
        f"docs/cli.md is out of date with the CLI: regenerate it with `{REGENERATE}`"
    )


def test_every_command_and_subcommand_has_its_section_with_every_option() -> None:
    text = reference(build_parser())
    sections = _sections(text)
    commands = _every_command(build_parser())
    assert len(commands) > 40
    for words, parser in commands.items():
        name = " ".join(("leaddesk", *words))
        if name not in sections:
            # An alias is named in its command's section instead.
            assert any(f"`{words[-1]}`" in body for body in sections.values()), name
            continue
        if parser.description:
            assert _as_written(parser.description) in sections[name], f"{name}: description"
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert f"`{option}" in sections[name], f"{name}: {option} missing"
            if action.help and not isinstance(action, argparse._SubParsersAction):
                assert _as_written(action.help) in sections[name], f"{name}: help missing"


def test_definition_check_is_listed_as_the_alias_of_validate() -> None:
    section = _sections(reference(build_parser()))["leaddesk definition validate"]
    assert "Also spelled: `check`" in section


def test_the_reference_does_not_depend_on_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wide = reference(build_parser())
    monkeypatch.setenv("COLUMNS", "30")
    assert reference(build_parser()) == wide
    assert all(not line.endswith(" ") for line in wide.splitlines())


def test_the_reference_is_the_same_for_every_user(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mine = reference(build_parser())
    monkeypatch.setenv("HOME", str(tmp_path / "someone-else"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    theirs = reference(build_parser())
    assert theirs == mine
    assert str(tmp_path) not in theirs and str(Path.home()) not in mine


def test_the_regenerate_command_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "cli.md"
    command = REGENERATE.replace("python", sys.executable, 1).replace("docs/cli.md", str(target))
    done = subprocess.run(command.split(), capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == reference(build_parser())


def test_a_small_parser_is_written_in_its_own_order_and_sets_are_sorted() -> None:
    parser = argparse.ArgumentParser(prog="leaddesk", description="A tool.")
    sub = parser.add_subparsers(dest="command")
    tag = sub.add_parser("tag", help="tag leads", description="Tag leads, many at once.")
    tag.add_argument("lead", nargs="+", metavar="LEAD_ID", help="the leads")
    tag.add_argument("--colour", choices={"red", "blue", "green"}, help="the tag's colour")
    tag.add_argument("--limit", type=int, default=20, help="most to tag")
    form = tag.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="JSON")
    form.add_argument("--csv", action="store_true", help="CSV")
    sub.add_parser("aardvark", help="comes second: argparse order is kept")

    text = reference(parser)

    assert text.index("## `leaddesk tag`") < text.index("## `leaddesk aardvark`")
    section = _sections(text)["leaddesk tag"]
    assert section.startswith("\ntag leads\n\nTag leads, many at once.\n")
    assert "leaddesk tag LEAD_ID [LEAD_ID ...] [--colour {blue,green,red}]" in section
    assert "* `--limit LIMIT`: most to tag (default: `20`)" in section
    assert "* only one of `--json`, `--csv`" in section
