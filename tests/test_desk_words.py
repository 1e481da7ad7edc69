"""The words the front ends import from ``leaddesk.desk`` are loaded from their rooms when first
asked for (issue #24), from one list, ``views.WHERE``: each resolves, mypy reads the same
words, and a desk builds each sub-facade the first time it is used."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import leaddesk.desk
from leaddesk.desk import setup_desk, views

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "leaddesk" / "desk" / "views.py"
OWN = ["Desk", "check_store_writable", "open_desk", "setup_desk"]
SUB_FACADES = [
    "queue",
    "calls",
    "qualifying",
    "intake",
    "handoff",
    "privacy",
    "team",
    "people",
    "admin",
]


def _as_mypy_reads_them() -> dict[str, str]:
    """The words views.py imports under TYPE_CHECKING, as "module" or "module:name"."""
    tree = ast.parse(VIEWS.read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported: dict[str, str] = {}
    words: dict[str, str] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.asname == alias.name:  # `X as X`: a word of the desk
                    words[alias.name] = node.module
                else:
                    imported[alias.asname or alias.name] = f"{node.module}:{alias.name}"
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            (target,) = node.targets
            assert isinstance(target, ast.Name)
            words[target.id] = imported.pop(node.value.id)
    assert imported == {}, f"imported under TYPE_CHECKING but not a word: {sorted(imported)}"
    return words


@pytest.mark.parametrize("name", list(views.WHERE))
def test_every_word_resolves_to_what_its_room_defines(name: str) -> None:
    module, _, defined_as = views.WHERE[name].partition(":")
    assert getattr(leaddesk.desk, name) is getattr(
        importlib.import_module(module), defined_as or name
    )


def test_mypy_reads_the_same_words_from_the_same_rooms() -> None:
    assert _as_mypy_reads_them() == views.WHERE


def test_the_desk_exports_its_own_names_and_every_word() -> None:
    assert leaddesk.desk.__all__ == OWN + list(views.WHERE)
    everything: dict[str, object] = {}
    exec("from leaddesk.desk import *", everything)
    assert set(everything) - {"__builtins__"} == set(OWN) | set(views.WHERE)


def test_a_name_the_desk_does_not_have_is_refused_by_name() -> None:
    with pytest.raises(AttributeError, match=r"'leaddesk\.desk' has no attribute 'Nope'"):
        _ = leaddesk.desk.Nope
    with pytest.raises(ImportError, match="Nope"):
        exec("from leaddesk.desk import Nope", {})


def test_importing_the_desk_loads_no_room_of_the_core() -> None:
    probe = (
        "import sys, leaddesk.desk\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('leaddesk'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert loaded == {
        "leaddesk",
        "leaddesk.clock",
        "leaddesk.desk",
        "leaddesk.desk.views",
        "leaddesk.errors",
    }


def test_a_desk_builds_each_sub_facade_once_when_first_used(sqlite_store_path: Path) -> None:
    with setup_desk(sqlite_store_path) as desk:
        # Nothing but the shared context until an operation needs its sub-facade.
        assert set(vars(desk)) == {"_ctx"}
        for name in SUB_FACADES:
            first = getattr(desk, name)
            assert getattr(desk, name) is first
            assert type(first).__module__ == f"leaddesk.desk.{name}"
        assert all(name in vars(desk) for name in SUB_FACADES)
