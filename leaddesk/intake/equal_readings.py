"""Choosing between code pages that read a file equally well in different scripts: a short
Chinese file that reads as clean Japanese too, a Korean one that reads as Chinese.

The team's phone region says which of them its files are usually in (a Greek team's are in
Windows-1253, a US team's in Windows-1252); charset-normalizer's measure of chaos tells them
apart once a file has enough text; otherwise the file cannot be told and is refused, naming what
it could be, rather than imported as mojibake.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass

# The script family each code page writes beyond ASCII; pages not named write Latin letters.
_FAMILY_PAGES: dict[str, tuple[str, ...]] = {
    "Greek": ("cp1253", "iso8859_7"),
    "Cyrillic": ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866"),
    "Hebrew": ("cp1255",),
    "Arabic": ("cp1256",),
    "Thai": ("cp874",),
    "Japanese": ("cp932", "shift_jis", "euc_jp", "shift_jis_2004", "euc_jis_2004"),
    "Korean": ("cp949", "euc_kr", "johab"),
    "Chinese": ("gb18030", "gb2312", "gbk"),
    "Chinese (traditional)": ("big5", "big5hkscs", "cp950"),
}
_FAMILY = {
    codecs.lookup(page).name: family for family, pages in _FAMILY_PAGES.items() for page in pages
}

# The code pages a team in a country saves its files in, most usual first.
_REGION_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("GR", "CY"), ("cp1253", "iso8859_7")),
    **dict.fromkeys(("RU", "UA", "BY", "BG", "KZ", "RS", "MK", "KG"), ("cp1251", "koi8_r")),
    **dict.fromkeys(("PL", "CZ", "SK", "HU", "SI", "HR", "RO", "BA"), ("cp1250", "iso8859_2")),
    **dict.fromkeys(("LT", "LV", "EE"), ("cp1257", "iso8859_13")),
    "TR": ("cp1254", "iso8859_9"),
    "IL": ("cp1255",),
    **dict.fromkeys(("SA", "AE", "EG", "JO", "QA", "KW", "MA"), ("cp1256",)),
    "TH": ("cp874",),
    "JP": ("cp932", "shift_jis", "euc_jp"),
    "KR": ("cp949", "euc_kr"),
    **dict.fromkeys(("CN", "SG"), ("gb18030",)),
    **dict.fromkeys(("TW", "HK", "MO"), ("big5",)),
}
# Scripts whose words spelling.py checks well enough to trust; not Thai (a Korean name in
# EUC-KR reads as a run of Thai consonants, which Thai spelling allows).
_ALPHABETS = frozenset(("Latin", "Greek", "Cyrillic", "Hebrew", "Arabic"))
_WESTERN = ("cp1252", "iso8859_15", "latin_1")

# How much less chaos charset-normalizer must find in one family's reading than in the others'
# for its word to settle a tie (percent of the text); below that, a short file's noise.
_CLEAR_MARGIN = 5.0


def family_of(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return "Latin"
    return _FAMILY.get(name, "Latin")


def pages_for_region(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    pages = _REGION_PAGES.get(region.upper(), _WESTERN)
    return tuple(codecs.lookup(page).name for page in pages)


@dataclass(frozen=True)
class Reading:
    encoding: str  # canonical codec name
    text: str  # the judged lines, decoded

    @property
    def family(self) -> str:
        return family_of(self.encoding)

    def first_word(self) -> str:
        for word in self.text.split():
            if not word.isascii():
                return next((part for part in word.split(",") if not part.isascii()), word)[:24]
        return ""


def _distinct_latin(readings: list[Reading]) -> list[Reading]:
    """One reading per different text among the Latin-letter pages, in the order judged."""
    seen: dict[str, Reading] = {}
    for reading in readings:
        if reading.family == "Latin":
            seen.setdefault(reading.text, reading)
    return list(seen.values())


def settle(
    best: list[Reading], region: str | None, chaos: Iterable[tuple[str, float]]
) -> Reading | list[Reading]:
    """Of readings equally legible (in the order they were judged), the one to read the file
    with: the team's region's page, the one text they all read, … Or, when the file cannot be
    told, the readings it could be: one per Latin page reading it differently, else one per
    script family."""
    hinted = next(
        (
            reading
            for page in pages_for_region(region)
            for reading in best
            if reading.encoding == page
        ),
        None,
    )
    all_latin = all(reading.family == "Latin" for reading in best)
    if hinted is None and region and all_latin:
        # A team whose own script is not Latin (Thai, Greek…) saves Latin text as Excel's
        # Western default does.
        western = {codecs.lookup(page).name for page in _WESTERN}
        hinted = next((reading for reading in best if reading.encoding in western), None)
    if hinted is not None:
        return hinted
    if len({reading.text for reading in best}) == 1:
        return best[0]
    latin = _distinct_latin(best)
    if len(latin) > 1 and region and all_latin:
        # Latin pages that spell a short file equally well ("Ayşe" in Windows-1254 is "Ayže"
        # in Windows-1257): only the team's region could say, and it did not. (Read outside
        # a team, the rarer letters lose: "Šimkus" over Croatian "Đimkus".)
        return latin
    in_alphabet = [reading for reading in best if reading.family in _ALPHABETS]
    if in_alphabet:
        # A reading in an alphabet whose spelling was checked beats one in two-byte characters
        # equally legible: a Russian name in Windows-1251 also reads as Korean Hanja, never the
        # reverse. Between alphabets, the order they were judged in.
        return in_alphabet[0]
    families: dict[str, Reading] = {}
    for reading in best:
        families.setdefault(reading.family, reading)
    if len(families) == 1:
        return best[0]
    least: dict[str, float] = {}
    for encoding, percent in chaos:
        family = family_of(encoding)
        if family in families:
            least[family] = min(percent, least.get(family, percent))
    ranked = sorted(families, key=lambda family: least.get(family, float("inf")))
    first, second = ranked[0], ranked[1]
    if first in least and least[first] + _CLEAR_MARGIN <= least.get(second, float("inf")):
        return families[first]
    return list(families.values())
