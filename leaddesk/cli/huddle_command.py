"""`leaddesk report huddle --since DATE [--out DIR] --as USER`: the huddle pack (issue #19 item
4), one HTML page with its charts and the CSV behind each table, in a new dated folder.
Registered as a name of `leaddesk report` (team_commands.py)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from leaddesk.cli.common import count, desk_for, print_json
from leaddesk.errors import InputError


def add_out(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--out",
        metavar="DIR",
        help="huddle only: the folder its dated pack folder goes in (default: 'LeadDesk "
        "huddles' beside the hand-off exports)",
    )


def run(args: argparse.Namespace, *, since: date | None, until: date | None) -> int:
    if since is None:
        raise InputError(
            "report huddle needs the first day to look at, e.g. the day after the last huddle",
            field="since",
        )
    if args.csv:
        raise InputError(
            "report huddle writes its CSV files into the pack's folder; leave this out",
            field="csv",
        )
    with desk_for(args) as desk:
        pack = desk.team.huddle_pack(
            since=since, until=until, out=Path(args.out) if args.out else None
        )
    huddle = pack.huddle
    if args.json:
        print_json(
            {
                "folder": str(pack.folder),
                "page": str(pack.page),
                "csv_files": [str(path) for path in pack.csv_files],
                "since": huddle.period.since.isoformat(),
                "until": huddle.period.until.isoformat(),
                "rows": {table.name: len(table.items) for table in huddle.tables()},
            }
        )
        return 0
    span = huddle.period
    print(f"Huddle pack for {span.since} to {span.until} ({span.timezone}): {pack.page}")
    print(
        f"{count(len(huddle.rejections.items), 'rejection')}, "
        f"{count(len(huddle.unanswered.items), 'hand-off')} waiting for sales, "
        f"{count(len(huddle.overrides.items), 'verdict')} overridden; "
        f"{count(len(pack.csv_files), 'CSV file')} beside the page."
    )
    return 0


def refuse_out(args: argparse.Namespace) -> None:
    """--out belongs to the huddle pack; other reports print to the terminal."""
    if getattr(args, "out", None):
        raise InputError(
            f"report {args.name} prints its table; only report huddle writes to a folder",
            field="out",
        )
