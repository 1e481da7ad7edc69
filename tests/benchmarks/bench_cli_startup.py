"""How long the ``leaddesk`` command takes to start (issue #24): ``--version``, ``queue --json``
and ``python -c pass`` (the floor: the interpreter alone), each run as its own process.

Run: python tests/benchmarks/bench_cli_startup.py [--store PATH] [--rounds 5] [--against CHECKOUT]

The commands take turns, round after round, so a machine that gets busier or quieter part way
through weighs on each of them alike. Each is timed as the entry point runs it (``ui.app:main``),
with bytecode files as an installed copy has them, by wall clock and by the CPU time its
process used (user + system, which other work on the machine changes less); prints the medians,
CPU as a share of the wall time (well below 100 % when other work held the cores), CPU as a
multiple of the floor's, and how many modules each imports. Without ``--store`` a 2,000-lead
demo store is made first (needs the demo extra, Faker). ``--against`` times a second checkout
(e.g. ``git worktree add /tmp/before HEAD~3``) in the same rounds.
Asserts no time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the installed ``leaddesk`` script does.
ENTRY = "from ui.app import run; run()"


@dataclass
class Timed:
    label: str
    argv: list[str]
    root: Path
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    modules: int = 0

    def env(self) -> dict[str, str]:
        # With bytecode files, as an installed LeadDesk starts (the warm-up run writes them):
        # compiling every module from source each time would be measured otherwise.
        kept = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return {**kept, "PYTHONPATH": str(self.root)}

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            self.argv, env=self.env(), cwd=self.root, capture_output=True, check=False
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: exit {done.returncode}: {done.stderr.decode()}")
        self.walls.append(wall)
        self.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

    def count_modules(self) -> None:
        argv = [self.argv[0], "-X", "importtime", *self.argv[1:]]
        done = subprocess.run(argv, env=self.env(), cwd=self.root, capture_output=True, check=True)
        self.modules = sum(1 for line in done.stderr.splitlines() if b"|" in line) - 1


def commands(root: Path, store: Path, tag: str) -> list[Timed]:
    python = sys.executable
    queue = ["--db", str(store), "queue", "--json", "--as", "rep1"]
    return [
        Timed(f"leaddesk --version{tag}", [python, "-c", ENTRY, "--version"], root),
        Timed(f"leaddesk queue --json{tag}", [python, "-c", ENTRY, *queue], root),
    ]


def demo_store(folder: Path) -> Path:
    store = folder / "demo.sqlite3"
    argv = [sys.executable, "-c", ENTRY, "--db", str(store), "demo", "--leads", "2000"]
    subprocess.run(argv, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True)
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store with a user rep1 (default: a demo)")
    parser.add_argument("--rounds", type=int, default=5, help="times each command runs")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT", help="another checkout too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="leaddesk-bench-startup-") as work:
        store = args.store or demo_store(Path(work))
        timed = [Timed("python -c pass (floor)", [sys.executable, "-c", "pass"], ROOT)]
        timed += commands(ROOT, store, "")
        if args.against:
            timed += commands(args.against.resolve(), store, f" ({args.against})")
        for command in timed:
            command.run()  # warm the disk cache and the bytecode files; not counted
            command.walls.clear()
            command.cpus.clear()
            command.count_modules()
        for _round in range(args.rounds):
            for command in timed:
                command.run()
    floor = statistics.median(timed[0].cpus) or 0.001
    print(f"{args.rounds} rounds, medians; load average {os.getloadavg()[0]:.1f}")
    print(f"{'command':<40} {'wall':>7} {'CPU':>7} {'CPU/wall':>8} {'CPU/floor':>9} {'modules':>7}")
    for command in timed:
        wall, cpu = statistics.median(command.walls), statistics.median(command.cpus)
        print(
            f"{command.label:<40} {wall:6.3f}s {cpu:6.3f}s {cpu / wall:8.0%} "
            f"{cpu / floor:8.1f}x {command.modules:7d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
