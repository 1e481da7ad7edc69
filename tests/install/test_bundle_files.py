"""What the default install and the bundle carry: psycopg, the desktop entry and its icon,
and a bundle script that runs the built program the way a user would."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_install_brings_the_postgresql_driver() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("psycopg[binary]") for dep in project["dependencies"])


def test_the_desktop_entry_launches_leaddesk_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    entry.read(ROOT / "resources" / "desktop" / "leaddesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "LeadDesk"
    assert desktop["Exec"].split()[0] == "leaddesk"
    assert (ROOT / "resources" / "icons" / f"{desktop['Icon']}.svg").is_file()
    assert desktop["Categories"].endswith(";")


def test_the_bundle_spec_carries_psycopg_and_the_desktop_entry() -> None:
    spec = (ROOT / "leaddesk.spec").read_text(encoding="utf-8")
    assert 'collect_submodules("psycopg")' in spec and "psycopg_binary" in spec
    assert "leaddesk.desktop" in spec and "leaddesk.svg" in spec


def test_the_install_and_the_bundle_carry_matplotlib_for_the_huddle_pack() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("matplotlib>=") for dep in project["dependencies"])
    spec = (ROOT / "leaddesk.spec").read_text(encoding="utf-8")
    assert '"matplotlib.backends.backend_svg"' in spec  # imported late: named for PyInstaller


def test_the_bundle_script_runs_the_built_program_outside_any_venv() -> None:
    script = (ROOT / ".ci" / "bundle").read_text(encoding="utf-8")
    assert "pyinstaller" in script and "tar -C dist -czf" in script
    assert "env -i" in script and "QT_QPA_PLATFORM=offscreen" in script
    for step in ("--version", "--self-test", "demo", "queue", "--screenshot"):
        assert step in script
    assert "LEADDESK_TEST_POSTGRES_URL" in script
