"""docs/cli.md, written from the command's own parser so the reference never drifts from --help.

Every command and subcommand in the order the CLI registers them, each with its help, a usage
line and its arguments and options with their help. No wrapping and no terminal width: the
same parser always gives the same bytes. Regenerate with
``python -m leaddesk.cli.reference --write docs/cli.md`` (or redirect stdout there).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

REGENERATE = "python -m leaddesk.cli.reference --write docs/cli.md"


@dataclass(frozen=True)
class Command:
    """One command or subcommand: its words after ``leaddesk``, its help, its parser."""

    words: tuple[str, ...]
    help: str
    aliases: tuple[str, ...]
    parser: argparse.ArgumentParser

    @property
    def name(self) -> str:
        return " ".join(("leaddesk", *self.words))


# Help may name this machine's per-user folder (backup's --out default): written as a word, so
# the reference is the same for every user and platform.
DATA_FOLDER = "DATA_FOLDER"


def _one_line(text: str | None) -> str:
    text = " ".join((text or "").split())
    here = platformdirs.user_data_dir("LeadDesk", appauthor=False)  # as leaddesk.store names it
    return text.replace(here + os.sep, DATA_FOLDER + "/").replace(here, DATA_FOLDER)


def _subcommands(
    parser: argparse.ArgumentParser,
) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every (sub)command below ``parser``, depth first, in the order they were registered."""
    sub = _subcommands(parser)
    if sub is None:
        return
    for choice in sub._choices_actions:  # one per command, in registration order, with its help
        name = choice.dest
        child = sub.choices[name]
        aliases = tuple(
            alias for alias, other in sub.choices.items() if other is child and alias != name
        )
        command = Command((*words, name), _one_line(choice.help), aliases, child)
        yield command
        yield from commands(child, command.words)


def _shown(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments a user gives: not --help, not hidden ones, not the subcommand slot."""
    return [
        action
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        and not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    ]


def _metavar(action: argparse.Action) -> str:
    if isinstance(action.metavar, str):
        return action.metavar
    if action.choices is not None and not isinstance(action.choices, dict):
        return "{" + ",".join(str(choice) for choice in _ordered(action.choices)) + "}"
    return action.dest.upper()


def _ordered(choices: object) -> list[object]:
    # A set has no order of its own; a list or enum keeps the order its author gave.
    if isinstance(choices, set | frozenset):
        return sorted(choices, key=str)
    assert isinstance(choices, Sequence | dict)
    return list(choices)


def _values(action: argparse.Action) -> str:
    """What follows the option (or stands for the positional), by its nargs."""
    if action.nargs == 0:
        return ""
    word = _metavar(action)
    if action.nargs == "?":
        return f"[{word}]"
    if action.nargs == "*":
        return f"[{word} ...]"
    if action.nargs == "+":
        return f"{word} [{word} ...]"
    if isinstance(action.nargs, int) and action.nargs > 1:
        return " ".join([word] * action.nargs)
    return word


def _spelling(action: argparse.Action) -> str:
    """``--role ROLE``, ``-n, --count N`` or ``NAME``, as a user types it."""
    if not action.option_strings:
        return _values(action)
    values = _values(action)
    return ", ".join(f"{option} {values}" if values else option for option in action.option_strings)


def _usage(command: Command) -> str:
    parts = [command.name]
    for action in _shown(command.parser):
        if action.option_strings:
            values = _values(action)
            written = f"{action.option_strings[-1]} {values}".rstrip()
            parts.append(written if action.required else f"[{written}]")
        else:
            parts.append(_values(action))
    if _subcommands(command.parser) is not None:
        parts.append("COMMAND ...")
    return " ".join(parts)


def _help(action: argparse.Action, prog: str) -> str:
    text = _one_line(action.help)
    if "%(" in text:
        params = {key: value for key, value in vars(action).items() if value != argparse.SUPPRESS}
        text = text % {**params, "prog": prog}
    notes = []
    if action.required and action.option_strings:
        notes.append("required")
    if action.choices is not None and isinstance(action.metavar, str):
        choices = [str(choice) for choice in _ordered(action.choices)]
        if action.metavar != "|".join(choices):  # else the metavar already lists them
            notes.append("one of: " + ", ".join(f"`{choice}`" for choice in choices))
    default = action.default
    if (
        isinstance(default, int | float | str)
        and not isinstance(default, bool)
        and default not in ("", argparse.SUPPRESS)
        and "default" not in text
        and f"({default})" not in text
    ):
        notes.append(f"default: `{default}`")
    return " ".join(filter(None, [text, f"({'; '.join(notes)})" if notes else ""]))


def _arguments(parser: argparse.ArgumentParser, prog: str) -> list[str]:
    lines = [
        f"* `{_spelling(action)}`" + (f": {said}" if (said := _help(action, prog)) else "")
        for action in _shown(parser)
    ]
    for group in parser._mutually_exclusive_groups:
        options = [action.option_strings[-1] for action in group._group_actions]
        lines.append(f"* only one of {', '.join(f'`{option}`' for option in options)}")
    return lines


def _section(command: Command) -> list[str]:
    lines = [f"## `{command.name}`", ""]
    description = _one_line(command.parser.description)
    # --help shows the description; the list of commands shows the help: both belong here.
    lines += [
        paragraph + "\n" for paragraph in dict.fromkeys([command.help, description]) if paragraph
    ]
    if command.aliases:
        lines += [f"Also spelled: {', '.join(f'`{alias}`' for alias in command.aliases)}.", ""]
    lines += ["```", _usage(command), "```", ""]
    arguments = _arguments(command.parser, command.name)
    if arguments:
        lines += [*arguments, ""]
    sub = _subcommands(command.parser)
    if sub is not None:
        lines += [
            "Subcommands: "
            + ", ".join(
                f"`{' '.join(command.words)} {choice.dest}`" for choice in sub._choices_actions
            )
            + ".",
            "",
        ]
    return lines


def reference(parser: argparse.ArgumentParser) -> str:
    """The whole reference as Markdown, ending in one newline."""
    every = list(commands(parser))
    lines = [
        "# The `leaddesk` command",
        "",
        f"<!-- Written by `{REGENERATE}` from the CLI's own parser; do not edit by hand. -->",
        "",
        _one_line(parser.description),
        "",
        "Bare `leaddesk` opens the window. Every command takes `-h`/`--help`. Exit codes: `0` ok, "
        "`2` bad input or usage, `3` not permitted for your role, `4` conflict with someone "
        "else's change, `1` a bug (details in the log). What each command does, in more "
        "words than its help: [commands.md](commands.md). `DATA_FOLDER` below is LeadDesk's "
        "per-user data folder (`~/.local/share/LeadDesk` on Linux).",
        "",
        "## Options before the command",
        "",
        "```",
        _usage(Command((), "", (), parser)),
        "```",
        "",
        *_arguments(parser, "leaddesk"),
        "",
        "## Commands",
        "",
        *[f"* [`{command.name}`](#{_anchor(command.name)}): {command.help}" for command in every],
        "",
    ]
    for command in every:
        lines += _section(command)
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def main(argv: Sequence[str] | None = None) -> int:
    from leaddesk.cli import build_parser

    options = argparse.ArgumentParser(
        prog="python -m leaddesk.cli.reference",
        description="Write the CLI reference (Markdown) to stdout, or to a file with --write.",
    )
    options.add_argument("--write", metavar="FILE", type=Path, help="write it to FILE instead")
    args = options.parse_args(argv)
    text = reference(build_parser())
    if args.write is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    try:
        args.write.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        print(f"reference: cannot write {args.write}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"Wrote {args.write} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
