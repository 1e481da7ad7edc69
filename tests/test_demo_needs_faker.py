"""Faker is the demo extra: an install without it runs everything but `demo`, which says in one
line how to get it; the bundle leaves it out."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from tests.cli_in_process import run_main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_faker(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if Faker were not installed: importing it raises ImportError."""
    for name in [name for name in sys.modules if name == "faker" or name.startswith("faker.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "faker", None)


@pytest.mark.usefixtures("no_faker")
def test_demo_without_faker_says_in_one_line_how_to_install_it(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite3"
    done = run_main(store, "demo", "--leads", "20")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "pip install 'leaddesk[demo]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not store.exists(), "a demo that cannot run must not leave an empty store behind"


@pytest.mark.usefixtures("no_faker")
def test_the_rest_of_leaddesk_runs_without_faker(tmp_path: Path) -> None:
    store = tmp_path / "team.sqlite3"
    assert run_main(store, "init").returncode == 0
    assert run_main(store, "users", "add", "rep1", "--role", "qualifier").returncode == 0
    sample = ROOT / "resources" / "samples" / "plain_contacts.csv"
    imported = run_main(store, "import", str(sample), "--as", "rep1")
    assert imported.returncode == 0, imported.stderr
    assert run_main(store, "queue", "--as", "rep1", "--json").returncode == 0


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
