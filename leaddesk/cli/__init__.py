"""The ``leaddesk`` command: headless operations for scripts, and the door to the window.

The window itself lives in ``ui``; its entry point passes ``open_window`` in, so this
package never imports Qt.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from leaddesk import __version__
from leaddesk.cli import (
    add_lead_command,
    contact_command,
    definition_commands,
    handoff_commands,
    import_command,
    lead_command,
    privacy_commands,
    qualify_command,
    queue_commands,
    self_test_command,
    setup_commands,
    sync_commands,
    team_commands,
)
from leaddesk.cli.common import add_as
from leaddesk.cli.refusals import said
from leaddesk.desk import log_path, setup_logging
from leaddesk.errors import LeadDeskError

WindowOpener = Callable[[argparse.Namespace], int]
COMMAND_MODULES = [
    setup_commands,
    definition_commands,
    qualify_command,
    queue_commands,
    lead_command,
    handoff_commands,
    sync_commands,
    import_command,
    add_lead_command,
    contact_command,
    team_commands,
    privacy_commands,
]
log = logging.getLogger("leaddesk.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line naming what is wrong, not a wall of usage text.
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
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
    for module in COMMAND_MODULES:
        module.register(commands)
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
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Name the command whose options they are not, so its --help is the one suggested.
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    setup_logging()
    parsers = _command_parsers(parser, args)
    if args.self_test:
        return run_guarded(lambda: self_test_command.run(args), parsers)
    if args.command in (None, "gui"):
        if open_window is None:
            print("leaddesk: the window is not available here; use a command", file=sys.stderr)
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
        log.exception("unexpected error")
        print(
            f"leaddesk: something went wrong inside LeadDesk ({type(exc).__name__}: {exc}). "
            f"This is a bug; details are in {log_path()}",
            file=sys.stderr,
        )
        return 1
