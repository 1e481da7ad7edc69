"""A text file the user names is read as UTF-8, or refused with a message saying why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaddesk.errors import InputError
from leaddesk.files import reading as user_files
from leaddesk.files.reading import read_text_file


def test_utf8_with_or_without_a_bom_is_read(tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.yaml", tmp_path / "marked.yaml"
    plain.write_text("name: Zoë\n", encoding="utf-8")
    marked.write_text("name: Zoë\n", encoding="utf-8-sig")
    assert read_text_file(plain, "a lead-definition file") == "name: Zoë\n"
    assert read_text_file(marked, "a lead-definition file") == "name: Zoë\n"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "is a folder, not an answers file"),
        (
            lambda path: path.write_bytes(b'{"budget": "\x80"}'),
            "is not UTF-8 text (byte 0x80 at position 12); is it really an answers file?",
        ),
    ],
    ids=["missing", "folder", "not-utf8"],
)
def test_a_file_that_cannot_be_read_says_why(
    tmp_path: Path, make: Callable[[Path], object], words: str
) -> None:
    path = tmp_path / "answers.json"
    make(path)
    with pytest.raises(InputError) as raised:
        read_text_file(path, "an answers file")
    assert str(raised.value).startswith(f"{path}: {words}")


def test_a_file_far_too_big_for_its_kind_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(user_files, "MOST_BYTES", 1024)
    path = tmp_path / "definition.toml"
    path.write_text("x" * 3 * 1024 * 1024, encoding="utf-8")
    with pytest.raises(InputError, match="3 MB is far too big for a lead-definition file"):
        read_text_file(path, "a lead-definition file")


def test_an_answers_file_nested_absurdly_deep_is_refused_in_words(tmp_path: Path) -> None:
    from leaddesk.cli.qualify_command import read_answers

    path = tmp_path / "answers.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply to be an answers file"):
        read_answers(str(path))
