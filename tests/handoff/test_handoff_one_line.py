"""A text is found one line without splitting it (handoff/one_line.py): never wrongly, for
any character, and what is made one line is what splitting makes."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.handoff.one_line import OneLine, is_one_line, one_line


def _by_splitting(text: str) -> bool:
    return " ".join(text.split()) == text


def test_every_character_between_letters_or_alone() -> None:
    # Unicode's spaces and line breaks are all in its first plane; a few beyond it as well.
    for code in [*range(0x10000), 0x1F600, 0x20000, 0xE0020, sys.maxunicode]:
        if 0xD800 <= code <= 0xDFFF:  # surrogates: no text holds one alone
            continue
        character = chr(code)
        for text in (f"a{character}b", character, f"{character}b"):
            if is_one_line(text):
                assert _by_splitting(text), (hex(code), text)
            assert one_line(text) == " ".join(text.split()), (hex(code), text)


@given(st.text(alphabet=st.sampled_from("ab \t\n\u00a0\u2028\u3000\x1c\x85é"), max_size=12))
def test_texts_of_spaces_and_letters(text: str) -> None:
    if is_one_line(text):
        assert _by_splitting(text)
    elif text.isprintable():  # printable but not one line: a space doubles, leads or trails
        assert not _by_splitting(text)
    assert one_line(text) == " ".join(text.split())
    assert OneLine()[text] == " ".join(text.split())
