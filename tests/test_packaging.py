"""LeadDesk finds its shipped files from a checkout and from an installed (non-editable) wheel."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from leaddesk.files.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_finds_the_default_definition() -> None:
    assert resource_path("definitions", "bant.toml").is_file()
    assert resource_path("styles", "light.qss").is_file()


def test_installed_wheel_contains_and_finds_its_resources(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("leaddesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "leaddesk/_resources/definitions/bant.toml" in names
    assert "leaddesk/_resources/styles/dark.qss" in names
    assert "leaddesk/_resources/styles/dark/up.svg" in names  # the spin-box arrows
    assert "leaddesk/store/migrations/versions/0001_initial_schema.py" in names
    assert "ui/app.py" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from leaddesk.files.resources import resource_path;"
        "print(resource_path('definitions', 'bant.toml'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert found.returncode == 0, found.stderr
    assert (
        Path(found.stdout.strip()) == site / "leaddesk" / "_resources" / "definitions" / "bant.toml"
    )


def test_core_never_imports_qt_or_the_ui() -> None:
    offenders = []
    for path in (ROOT / "leaddesk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in {"PySide6", "shiboken6", "ui"}
            ]
    assert offenders == []


def test_frozen_bundle_finds_resources_beside_the_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaddesk.files import resources

    (tmp_path / "resources" / "definitions").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resources.resources_dir.cache_clear()
    try:
        assert resources.resources_dir() == tmp_path / "resources"
    finally:
        monkeypatch.delattr(sys, "_MEIPASS")
        resources.resources_dir.cache_clear()


def test_bundle_spec_ships_migrations_as_files() -> None:
    spec = (ROOT / "leaddesk.spec").read_text(encoding="utf-8")
    assert "include_py_files=True" in spec and "store/migrations" in spec
