"""Texts made one line for the hand-off's files: every run of whitespace (line breaks, tabs,
Unicode's spaces) one plain space, none at either end."""

from __future__ import annotations


def one_line(text: str | None) -> str:
    text = text or ""
    return text if is_one_line(text) else " ".join(text.split())


def is_one_line(text: str) -> bool:
    """True only if ``" ".join(text.split()) == text``, found without splitting: a printable
    text holds no whitespace but the plain space (tabs, line breaks and Unicode's other
    spaces are not printable), so it is one line when no space doubles, leads or trails.
    False for the rest, some of them one line all the same (a control character that is no
    space): those are split."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


class OneLine(dict[str, str]):
    """Texts made one line, each distinct text once per batch: the summary goes into both
    files, and an inquiry, a campaign or an axis answer repeats across leads (issue #24).
    ``lines[text]`` is ``one_line(text)``."""

    def __missing__(self, text: str) -> str:
        line = self[text] = text if is_one_line(text) else " ".join(text.split())
        return line
