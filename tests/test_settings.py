"""Settings are typed, survive a restart, and shrug off a damaged file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaddesk import settings as s


def test_a_choice_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    s.Settings(path)[s.THEME] = "dark"
    assert s.Settings(path)[s.THEME] == "dark"
    assert s.Settings(path)[s.NOTE_SAVE_DELAY_MS] == s.NOTE_SAVE_DELAY_MS.default


def test_wrong_type_is_refused_on_write(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        s.Settings(tmp_path / "x.json")[s.NOTE_SAVE_DELAY_MS] = "soon"  # type: ignore[assignment]


def test_damaged_file_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert s.Settings(path)[s.THEME] == "system"
    path.write_text(json.dumps({"values": {"theme": 3}}), encoding="utf-8")
    assert s.Settings(path)[s.THEME] == "system"
