"""Whether a decoded sample reads as people's names and words, to tell a file's real code page
from the ones that turn it into mojibake (#21 item 3).

The rule: a word is *broken* when it holds a character no name has (a control character, a
box-drawing or block character, the replacement mark, a symbol inside the word), and it is
*foreign* when its letters are spelt in no one alphabet: "Žukauskienė" is Lithuanian,
"Þukauskienë" (the same bytes read as Windows-1252) mixes Icelandic and Dutch letters, and
"草趾iewski" mixes Chinese with Latin. The right code page gives the fewest of both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The letters beyond ASCII each Latin-alphabet language writes, lower case.
_LATIN_ALPHABETS: tuple[str, ...] = (
    "äöüß",  # German
    "àâæçéèêëîïôœùûüÿ",  # French
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áéëïóöüèàêíú",  # Dutch, Afrikaans
    "æøåéóäöü",  # Danish, Norwegian
    "åäöéü",  # Swedish
    "åäöšž",  # Finnish
    "áðéíóúýþæö",  # Icelandic
    "áðíóúýæø",  # Faroese
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "čćđšž",  # Slovene, Croatian, Bosnian, Serbian in Latin
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    "çğıöşüâîûİ",  # Turkish, Azerbaijani ("i".upper() is "I", so the dotted capital is named)
    "çë",  # Albanian
    "ċġħżàèìòù",  # Maltese
    "âêîôûŵŷ",  # Welsh (its names' letters)
    "äëéèöü",  # Luxembourgish
    "áéíóú",  # Irish
    "éèëïöüç",  # English loan words and names: café, naïve, Zoë
)
_LATIN_SETS = tuple(frozenset(letters + letters.upper()) for letters in _LATIN_ALPHABETS)
_SHARED_BY = {
    char: sum(char in letters for letters in _LATIN_SETS) for char in set().union(*_LATIN_SETS)
}

# Scripts written without Latin letters, by Unicode range, and the mixes one language uses.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "greek"),
    (0x1F00, 0x1FFF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0E00, 0x0E7F, "thai"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0xFF66, 0xFF9F, "kana"),
    (0x1100, 0x11FF, "hangul"),
    (0x3130, 0x318F, "hangul"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
)
_ONE_LANGUAGE: tuple[frozenset[str], ...] = (
    frozenset({"greek"}),
    frozenset({"cyrillic"}),
    frozenset({"hebrew"}),
    frozenset({"arabic"}),
    frozenset({"thai"}),
    frozenset({"han", "kana"}),  # Japanese
    frozenset({"han", "hangul"}),  # Korean
    frozenset({"other"}),  # one script this table does not name (Armenian, Devanagari…)
)
# Characters CJK text has between its letters: the prolonged sound mark, the iteration mark,
# full-width letters and digits, the middle dot.
_CJK_MARKS = frozenset("ー々〆・ヽヾゝゞ")
# Thai vowels above and below a consonant, and its tone marks: combining marks, not letters.
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")

# Where one word ends: spaces and the delimiters and marks between names.
# (Spaces by name: "\s" would also split at the C1 control NEL, a sign of the wrong code page.)
_BREAKS = r" \t\r\n\f\v\u00a0\u3000,;|\"'()/\-.:!?&+=*_@#<>\[\]{}"
_WORDS = re.compile(rf"[^{_BREAKS}]+")


@dataclass(frozen=True)
class Legibility:
    """How a decoding reads: words with impossible characters, words spelt in no one
    alphabet, how many alphabets it takes to spell the rest, words with a letter in the wrong
    case, and how rare their letters are (a sum of 1 / the languages writing each: "Ð" 1/2,
    "Š" 1/9)."""

    broken: int
    foreign: int
    alphabets: int
    miscased: int
    rarity: float
    first_broken: tuple[str, ...] = ()

    def rank(self) -> tuple[int, int, int, int, float]:
        """Lower reads better: a wrong code page breaks words, mixes alphabets in them, flips
        the case of letters at random; the real one spells the file in few, common ones."""
        return (
            self.broken + self.foreign,
            self.broken,
            self.miscased,
            self.alphabets,
            round(self.rarity, 3),
        )


def legibility(text: str) -> Legibility:
    broken, foreign, wrong_case = 0, 0, 0
    shown: list[str] = []
    spellings: list[frozenset[int]] = []
    letters: set[str] = set()
    # Each word once, in the file's order; only those beyond ASCII can a code page get wrong.
    for word in dict.fromkeys(_WORDS.findall(text)):
        if word.isascii():
            continue
        if is_broken(word):
            broken += 1
        else:
            fits = alphabets_of(word)
            if fits:
                spellings.append(fits)
                wrong_case += miscased(word)
                letters.update(char for char in word if not char.isascii() and char.isalpha())
                continue
            foreign += 1
        if len(shown) < 3:
            shown.append(word)
    rarity = sum(1 / _SHARED_BY[char] for char in letters if char in _SHARED_BY)
    covering = _fewest_covering(spellings)
    return Legibility(broken, foreign, covering, wrong_case, rarity, tuple(shown))


def _fewest_covering(spellings: list[frozenset[int]]) -> int:
    """How many alphabets spell every word, chosen greedily (the largest share first)."""
    left, used = list(spellings), 0
    while left:
        counts: dict[int, int] = {}
        for fits in left:
            for alphabet in fits:
                counts[alphabet] = counts.get(alphabet, 0) + 1
        widest = max(sorted(counts), key=lambda alphabet: counts[alphabet])
        left = [fits for fits in left if widest not in fits]
        used += 1
    return used


def is_broken(word: str) -> bool:
    """A character no name has: a control, unassigned or private one, the replacement mark, a
    box-drawing or block character, a symbol inside a word or starting one ("£ukasz",
    "N£¤ez", "¯ó³kiewski"), or an opening quote ending one ("Jos‚"). "Acme®", "£5" are fine."""
    letters = [char.isalpha() for char in word]
    if not any(letters) and not any(char.isdecimal() for char in word):
        # Symbols alone, two or more beyond ASCII ("¡™“¬", Thai read as Mac Roman), spell
        # nothing; one ("€", "—") may stand between words.
        return sum(not char.isascii() for char in word) > 1
    first = letters.index(True) if True in letters else len(word)
    last = len(word) - 1 - letters[::-1].index(True) if True in letters else -1
    for index, char in enumerate(word):
        if char.isascii() or letters[index] or char.isdecimal() or char in _CJK_MARKS:
            continue
        if _THAI_MARKS.match(char) and index and _script(word[index - 1]) == "thai":
            continue  # a Thai vowel or tone mark over or under its consonant (spelling.py)
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Co", "Cn", "Cs") or char == "\ufffd":
            return True
        if 0x2500 <= ord(char) <= 0x259F:
            return True
        before, after = first < index, last > index
        if after and (before or index == 0):
            return True
        if before and category in ("Ps", "Pi"):
            return True
    return False


def miscased(word: str) -> bool:
    """A letter beyond ASCII in the wrong case for its word: lower case among capitals
    ("JšRGEN"), a capital after lower case ("KalniĀa"), or lower case starting a capitalised
    name's place ("èsa" for "Åsa"). Names are written "Åsa", "ÅSA" or, rarely, "åsa"."""
    cased = [char for char in word if char.isalpha() and (char.isupper() or char.islower())]
    if len(cased) < 2:
        return False
    lower = sum(char.islower() for char in cased)
    for index, char in enumerate(cased):
        if char.isascii():
            continue
        if char.islower() and lower == 1:  # the only lower-case letter among capitals
            return True
        if char.isupper() and index > 0 and cased[index - 1].islower():
            return True
        if index == 0 and char.islower() and word[:1] == char and not cased[1].isupper():
            return True
    return False


def alphabets_of(word: str) -> frozenset[int]:
    """The alphabets (indexes into the Latin table, then the other scripts' languages) that
    spell every letter of the word; empty when none does."""
    scripts: set[str] = set()
    latin: set[str] = set()
    ascii_letters = False
    for char in word:
        if not char.isalpha():
            continue
        if char.isascii():
            ascii_letters = True
            continue
        script = _script(char)
        if script == "latin":
            latin.add(char)
        else:
            scripts.add(script)
    if scripts:
        # Non-Latin letters never share a word with Latin ones.
        if latin or ascii_letters:
            return frozenset()
        first = len(_LATIN_SETS)
        return frozenset(first + index for index, one in enumerate(_ONE_LANGUAGE) if scripts <= one)
    return frozenset(index for index, letters in enumerate(_LATIN_SETS) if latin <= letters)


def _script(char: str) -> str:
    code = ord(char)
    if 0xFF21 <= code <= 0xFF5A:  # full-width Latin letters, as Japanese files write them
        return "kana"
    for start, end, script in _RANGES:
        if start <= code <= end:
            return script
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return "other"
