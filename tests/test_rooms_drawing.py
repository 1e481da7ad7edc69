"""The drawing of the core's rooms (docs/rooms.md) is the house as it stands: rooms by
feature, no two importing each other, no module over 500 lines but generated migrations."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python docs/make_rooms.py > docs/rooms.md"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_rooms", ROOT / "docs" / "make_rooms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rooms_drawing_matches_the_code() -> None:
    drawn = (ROOT / "docs" / "rooms.md").read_text(encoding="utf-8")
    assert drawn == _maker().drawing(), f"docs/rooms.md is out of date: run `{REGENERATE}`"


def test_no_core_module_is_over_500_lines_but_generated_migrations() -> None:
    sizes = _maker().module_lines()
    too_long = sorted(f"{name} ({lines})" for name, lines in sizes.items() if lines > 500)
    assert too_long == [], "split by what users do: " + ", ".join(too_long)


def test_the_root_of_the_core_keeps_only_the_vocabulary() -> None:
    root = sorted(p.name for p in (ROOT / "leaddesk").glob("*.py"))
    assert root == [
        "__init__.py",
        "__main__.py",
        "clock.py",
        "domain.py",
        "errors.py",
        "settings.py",
    ]
