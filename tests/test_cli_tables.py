"""The command line's tables line up on a terminal whatever the script: a Japanese name takes
two columns a character, an accent on a letter none."""

from __future__ import annotations

import pytest

from leaddesk.cli.common import print_table, shown_width


def test_wide_and_combining_characters_take_the_columns_a_terminal_gives_them() -> None:
    assert shown_width("Ada Byron") == 9
    assert shown_width("洋介 太田") == 9
    assert shown_width("Zoe\u0308") == 3  # e + combining diaeresis: one column


def test_a_table_with_japanese_names_keeps_its_columns_in_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_table(
        ("person", "company", "phone"),
        [
            ("洋介 太田", "吉田電気有限会社", "+819044147028"),
            ("Amy Juarez", "Benton", "+61273948919"),
        ],
    )
    lines = capsys.readouterr().out.splitlines()
    starts = {shown_width(line[: line.index("+")]) for line in lines[2:]}
    assert len(starts) == 1  # the phone column starts in the same terminal column on every row
