"""``leaddesk --self-test``: print each check of this machine, exit 0 when the required pass."""

from __future__ import annotations

import argparse

from leaddesk import __version__
from leaddesk.desk import CheckStatus as Status
from leaddesk.desk import run_checks


def run(args: argparse.Namespace) -> int:
    findings = run_checks(args.db)
    failed = [finding for finding in findings if finding.failed]
    print(f"LeadDesk {__version__} self-test")
    width = max(len(finding.name) for finding in findings)
    for finding in findings:
        line = f"  {finding.status.value:<8} {finding.name:<{width}}  {finding.detail}"
        if finding.fix and finding.status is not Status.OK:
            line += f"\n  {'':<8} {'':<{width}}  fix: {finding.fix}"
        print(line)
    if failed:
        names = ", ".join(finding.name for finding in failed)
        print(f"Not ready: {names}. Run the fix shown, then leaddesk --self-test again.")
        return 2
    print("Ready: every required check passed.")
    return 0
