"""The window and the command line reach the core only through the desk and the core's
vocabulary (domain words, errors, settings, the clock): docs/architecture.md §3."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = "The front ends reach the core only through the desk and its vocabulary"
# What the front ends may import from the core; leaddesk.cli is a front end itself.
ALLOWED = {"desk", "domain", "errors", "settings", "clock", "cli"}


def _rooms() -> set[str]:
    """Every top-level package and module of the core, as the front ends would import it."""
    found = set()
    for path in (ROOT / "leaddesk").iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            found.add(path.name)
        elif path.suffix == ".py" and not path.name.startswith("__"):
            found.add(path.stem)
    return found


def _contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == CONTRACT)


def test_contract_forbids_every_room_of_the_core_but_the_desk_and_its_vocabulary() -> None:
    contract = _contract()
    assert contract["source_modules"] == ["leaddesk.cli", "ui"]
    named = contract["forbidden_modules"]
    assert isinstance(named, list)
    forbidden = {str(name).removeprefix("leaddesk.") for name in named}
    missing = sorted(_rooms() - ALLOWED - forbidden)
    assert missing == [], f"add to the contract's forbidden_modules in pyproject.toml: {missing}"
    assert forbidden <= _rooms(), "the contract names a room the core no longer has"


def test_window_and_command_line_import_only_the_desk_and_its_vocabulary() -> None:
    offenders = []
    for folder in (ROOT / "leaddesk" / "cli", ROOT / "ui"):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                    if node.module == "leaddesk":  # from leaddesk import queue
                        names = [f"leaddesk.{alias.name}" for alias in node.names]
                else:
                    continue
                offenders += [
                    f"{path.relative_to(ROOT)}: {name}"
                    for name in names
                    if name.startswith("leaddesk.")
                    and name.split(".")[1] not in ALLOWED
                    and name.split(".")[1] in _rooms()
                ]
    assert offenders == []
