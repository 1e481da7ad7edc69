"""Faker is the demo extra: an install without it runs everything but `demo`, which says in one
line how to get it; the bundle leaves it out."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from tests.cli_in_process import RunCli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_faker(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if Faker were not installed: importing it raises ImportError."""
    for name in [name for name in sys.modules if name == "faker" or name.startswith("faker.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "faker", None)


def _tables(location: str) -> list[str]:
    if not location.startswith("postgresql"):
        return ["(a SQLite file)"] if Path(location).exists() else []
    engine = create_engine(location.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.usefixtures("no_faker")
def test_demo_without_faker_says_in_one_line_how_to_install_it(
    new_store_location: str, tmp_path: Path, run_cli: RunCli
) -> None:
    # A new store, as a first demo is made: a SQLite file not there yet, an empty database.
    store_location = new_store_location
    done = run_cli("demo", "--leads", "20", db=store_location)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "pip install 'leaddesk[demo]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert _tables(store_location) == [], "a demo that cannot run must leave no store behind"


@pytest.mark.usefixtures("no_faker")
def test_the_rest_of_leaddesk_runs_without_faker(store_location: str, run_cli: RunCli) -> None:
    assert run_cli("init", db=store_location).returncode == 0
    assert run_cli("users", "add", "rep1", "--role", "qualifier", db=store_location).returncode == 0
    sample = ROOT / "resources" / "samples" / "plain_contacts.csv"
    imported = run_cli("import", str(sample), "--as", "rep1", db=store_location)
    assert imported.returncode == 0, imported.stderr
    assert "18 new leads" in imported.stdout
    queue = run_cli("queue", "--as", "rep1", "--json", db=store_location)
    assert queue.returncode == 0, queue.stderr
    assert isinstance(json.loads(queue.stdout), list)


def _requirement_names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        for requirement in requirements
    }


def test_faker_is_the_demo_extra_and_the_tests_install_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert "faker" not in _requirement_names(project["dependencies"])
    (demo,) = [r for r in extras["demo"] if r.lower().startswith("faker")]
    assert demo in extras["test"], "the test extra must install the same Faker as the demo extra"


def test_the_bundle_leaves_faker_out_and_checks_the_demo_message() -> None:
    spec = (ROOT / "leaddesk.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("faker")' not in spec
    assert 'collect_submodules("faker' not in spec
    assert '"faker"' in spec  # excluded by name
    script = (ROOT / ".ci" / "bundle").read_text(encoding="utf-8")
    assert "pip install 'leaddesk[demo]'" in script
    assert 'test "$demo_code" = 2' in script
