"""Settings are typed, survive a restart, and shrug off a damaged file or an unwritable folder."""

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


def test_a_settings_folder_that_cannot_be_written_keeps_the_choice_for_the_session(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    in_the_way = tmp_path / "config"
    in_the_way.write_text("a file where the folder should be", encoding="utf-8")
    settings = s.Settings(in_the_way / "settings.json")
    settings[s.THEME] = "dark"  # no exception: the rep keeps working
    assert settings[s.THEME] == "dark"
    assert "settings not saved" in caplog.text
    assert in_the_way.read_text(encoding="utf-8") == "a file where the folder should be"


def test_a_settings_file_nested_absurdly_deep_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert s.Settings(path)[s.THEME] == "system"
