"""The ``leaddesk`` command: headless operations for scripts, and the door to the window.

The window itself lives in ``ui``; its entry point passes ``open_window`` in, so this
package never imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from leaddesk import __version__
from leaddesk.cli.common import add_as
from leaddesk.cli.refusals import said
from leaddesk.errors import LeadDeskError

WindowOpener = Callable[[argparse.Namespace], int]

# Which module of leaddesk.cli registers each command, in the order `leaddesk --help` lists
# them: `leaddesk queue …` imports queue_commands only, as a command's start-up is mostly its
# imports (issue #24). tests/test_cli_startup.py checks this names every command each module
# registers, so a new command cannot be left out.
COMMANDS = {
    "init": "setup_commands",
    "users": "setup_commands",
    "demo": "setup_commands",
    "backup": "setup_commands",
    "restore": "setup_commands",
    "definition": "definition_commands",
    "qualify": "qualify_command",
    "undo-verdict": "qualify_command",
    "queue": "queue_commands",
    "search": "queue_commands",
    "callbacks": "queue_commands",
    "next": "queue_commands",
    "log-call": "queue_commands",
    "end-call": "queue_commands",
    "undo-call": "queue_commands",
    "release": "queue_commands",
    "lead": "lead_command",
    "export": "handoff_commands",
    "verify-handoff": "handoff_commands",
    "feedback": "handoff_commands",
    "handoff": "handoff_commands",
    "meeting": "meeting_commands",
    "sync": "sync_commands",
    "import": "import_command",
    "add-lead": "add_lead_command",
    "contact": "contact_command",
    "team": "team_commands",
    "reassign": "team_commands",
    "reopen": "team_commands",
    "rebalance": "team_commands",
    "sweep": "team_commands",
    "report": "team_commands",
    "dnc": "privacy_commands",
    "erase": "privacy_commands",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))
# The flags of `leaddesk` itself (its one option with a value, --db, is read apart).
OWN_FLAGS = ("--version", "--self-test")
log = logging.getLogger("leaddesk.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line naming what is wrong, not a wall of usage text.
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules ``leaddesk ARGV`` needs: the one registering the command it names;
    none for the window, --version or --self-test alone; all of them wherever argparse may list
    the commands (--help before a command, a misspelt command or option)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word in OWN_FLAGS or word.startswith("--db="):
            continue
        elif word == "gui":
            return []
        elif word in COMMANDS:
            return [COMMANDS[word]]
        else:
            return COMMAND_MODULES
    return []


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or with only those ``argv`` needs (see ``modules_for``)."""
    parser = _Parser(
        prog="leaddesk",
        description="LeadDesk: qualify inbound interest by phone and hand the good leads to sales.",
    )
    parser.add_argument("--version", action="version", version=f"LeadDesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this machine (store folder, Qt's libraries, fonts, keyring, PostgreSQL "
        "driver) without opening a window; exit 0 when ready, 2 otherwise",
    )
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="store file or postgresql:// URL (default: $LEADDESK_DATABASE_URL, "
        "then the per-user store)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = commands.add_parser("gui", help="open the window (the default)")
    add_as(gui, required=False)
    gui.add_argument("--screenshot", metavar="FILE.png", help="save the window as a PNG and exit")
    for name in COMMAND_MODULES if argv is None else modules_for(argv):
        importlib.import_module(f"leaddesk.cli.{name}").register(commands)
    return parser


def _command_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The (sub)command's own parser, e.g. ``leaddesk users add``'s, for its error message."""
    return _command_parsers(parser, args)[-1]


def _command_parsers(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> list[argparse.ArgumentParser]:
    """The parsers from ``leaddesk`` down to the chosen (sub)command's, whose flags a
    refusal names."""
    chain = [parser]
    while True:
        commands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        chosen = getattr(args, commands[0].dest, None) if commands else None
        if not commands or chosen not in commands[0].choices:
            return chain
        parser = commands[0].choices[chosen]
        chain.append(parser)


def main(argv: Sequence[str] | None = None, *, open_window: WindowOpener | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words)
    args, unknown = parser.parse_known_args(words)
    if unknown:
        # Name the command whose options they are not, so its --help is the one suggested.
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    from leaddesk.desk import setup_logging

    setup_logging()
    parsers = _command_parsers(parser, args)
    if args.self_test:
        from leaddesk.cli import self_test_command

        return run_guarded(lambda: self_test_command.run(args), parsers)
    if args.command in (None, "gui"):
        if open_window is None:
            print(
                "leaddesk: 'python -m leaddesk' runs the commands only; the window opens with "
                "the 'leaddesk' command ('leaddesk gui')",
                file=sys.stderr,
            )
            return 2
        for name in ("as_user", "screenshot"):
            if not hasattr(args, name):
                setattr(args, name, None)
        return run_guarded(lambda: open_window(args), parsers)
    return run_guarded(lambda: int(args.handler(args)), parsers)


def run_guarded(work: Callable[[], int], parsers: Sequence[argparse.ArgumentParser] = ()) -> int:
    """Turn the user's mistakes into one-line messages and exit codes (an input at fault named
    as the command's flag); bugs into a log entry."""
    try:
        return work()
    except LeadDeskError as exc:
        print(f"leaddesk: {said(exc, parsers)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("leaddesk: cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from leaddesk.desk import log_path

        log.exception("unexpected error")
        print(
            f"leaddesk: something went wrong inside LeadDesk ({type(exc).__name__}: {exc}). "
            f"This is a bug; details are in {log_path()}",
            file=sys.stderr,
        )
        return 1
