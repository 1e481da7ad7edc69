"""Whether a decoded word is spelt as its language spells words, to tell apart code pages that
all read a file as clean letters of some alphabet (Greek in Windows-1253 also reads as Cyrillic
in Windows-1251, Chinese in GB18030 as Japanese or Korean).

The right reading is spelt the way people write: Greek ends a word with "ς" and nowhere else,
puts one accent on a word; a Cyrillic word has a vowel and never starts with "ь"; Chinese,
Japanese and Korean names are written in common characters, Korean ones in Hangul; Thai puts
its vowel and tone marks on a consonant; Turkish "ğ" follows a vowel, Icelandic "þ" starts a
word. Each page's wrong reading breaks one of these on almost every word.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from leaddesk.intake.legible_text import is_broken

_GREEK_VOWELS = frozenset("αεηιουωάέήίόύώϊϋΐΰΑΕΗΙΟΥΩΆΈΉΊΌΎΏΪΫ")
_GREEK_ACCENTED = frozenset("άέήίόύώΐΰΆΈΉΊΌΎΏ")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєўъАЕЁИОУЫЭЮЯІЇЄЎЪ")  # ъ is a vowel in Bulgarian
_CYRILLIC_SIGNS = frozenset("ьъЬЪ")
_NEVER_FIRST_CYRILLIC = frozenset("ьъыЬЪЫ")
_ONLY_LAST = frozenset("ةىךםןףץ")
# More consonants in a row than Greek or a Slavic language puts together ("ΣΤΡ", "вздр").
_CONSONANT_RUN = 5
_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
_WORDS = re.compile(r"[^ \t\r\n\f\v\u00a0\u3000,;|\"'()/\-.:!?&+=*_@#<>\[\]{}]+")


def unlikely_words(text: str) -> int:
    """How many of the text's distinct words beyond ASCII break their language's spelling."""
    return sum(
        1
        for word in dict.fromkeys(_WORDS.findall(text))
        if not word.isascii() and not is_broken(word) and misspelt(word)
    )


def misspelt(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    if not letters:
        return False
    if _digit_among_letters(word):
        return True
    first = ord(letters[0])
    if 0x0370 <= first <= 0x03FF:
        return _misspelt_greek(letters)
    if 0x0400 <= first <= 0x052F:
        return _misspelt_cyrillic(letters)
    if any(_is_cjk(char) for char in letters):
        return _misspelt_cjk(word, letters)
    if 0x0E01 <= first <= 0x0E5B:
        return _misspelt_thai(word)
    if first < 0x0250 and _misspelt_latin(letters):
        return True
    # Arabic's teh marbuta and alef maksura, Hebrew's final letters: only at a word's end.
    return any(char in _ONLY_LAST for char in letters[:-1])


# Turkish "ğ" lengthens the vowel before it (Doğan, Çağlar): it never follows a consonant or
# starts a word. Icelandic "þ" starts a word (or a compound's part) and never follows a vowel.
# Turkish read as Windows-1252 turns "Ayşe" into "Ayþe"; Lithuanian "Šimkus" read as
# Windows-1254 becomes "Ğimkus".
_LATIN_VOWELS = frozenset("aeiouyıAEIOUYİ" + "âäàáåæãéèêëíìîïóòôöõøúùûüýœ")
_LATIN_RULED = frozenset("ğĞþÞðÐ")


def _misspelt_latin(letters: list[str]) -> bool:
    if _LATIN_RULED.isdisjoint(letters):
        return False
    for index, char in enumerate(letters):
        low = char.lower()
        before = letters[index - 1].lower() if index else ""
        if low == "ğ" and before not in _LATIN_VOWELS:
            return True
        if low == "þ" and before in _LATIN_VOWELS:
            return True
        if low == "ð" and not before:
            return True  # Icelandic and Faroese "ð" never starts a word ("Ðimkus" is "Šimkus")
    return False


# Thai (in Windows-874 / TIS-620): a word starts with a consonant or a vowel written before
# one (เ แ โ ใ ไ); vowels above and below, and tone marks, sit on a consonant; vowels after a
# consonant (ะ า ำ) never start a word. Mac Roman or Cyrillic bytes read as Thai break this.
_THAI_CONSONANT = re.compile("[\u0e01-\u0e2e]")
_THAI_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
_THAI_FOLLOWING = frozenset("\u0e30\u0e32\u0e33\u0e45")
_THAI_VOWEL_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a")
_THAI_TONE_MARKS = frozenset("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def _misspelt_thai(word: str) -> bool:
    thai = [char for char in word if 0x0E01 <= ord(char) <= 0x0E5B]
    if len(thai) != sum(1 for char in word if not char.isascii()):
        return True  # Thai letters beside other scripts' characters
    if not (_THAI_CONSONANT.match(thai[0]) or thai[0] in _THAI_LEADING):
        return True
    for index, char in enumerate(thai):
        before = thai[index - 1] if index else ""
        after = thai[index + 1] if index + 1 < len(thai) else ""
        if char in _THAI_LEADING and not _THAI_CONSONANT.match(after):
            return True
        if char in _THAI_VOWEL_MARKS and not _THAI_CONSONANT.match(before):
            return True
        if char in _THAI_TONE_MARKS and not (
            _THAI_CONSONANT.match(before) or before in _THAI_VOWEL_MARKS
        ):
            return True
        if char in _THAI_FOLLOWING and not before:
            return True
    return False


def has_hangul(text: str) -> bool:
    return any(0xAC00 <= ord(char) <= 0xD7AF for char in text)


def _digit_among_letters(word: str) -> bool:
    # A national digit (Thai "๕", Arabic "٣") between letters: a byte that is a letter elsewhere.
    for index, char in enumerate(word):
        if (
            char.isdecimal()
            and not char.isascii()
            and any(c.isalpha() for c in word[:index])
            and any(c.isalpha() for c in word[index:])
        ):
            return True
    return False


def _misspelt_greek(letters: list[str]) -> bool:
    if "ς" in letters[:-1] or (len(letters) > 1 and letters[-1] == "σ"):
        return True  # final sigma ends a word, and only it does
    if sum(char in _GREEK_ACCENTED for char in letters) > 1:
        return True  # one accent a word
    return _unpronounceable(letters, _GREEK_VOWELS)


def _misspelt_cyrillic(letters: list[str]) -> bool:
    if letters[0] in _NEVER_FIRST_CYRILLIC:
        return True
    for before, char in itertools.pairwise(letters):
        if char in _CYRILLIC_SIGNS and before in _CYRILLIC_VOWELS:
            return True  # a hard or soft sign follows a consonant
    return _unpronounceable(letters, _CYRILLIC_VOWELS)


def _unpronounceable(letters: list[str], vowels: frozenset[str]) -> bool:
    """No vowel in a word of three letters or more, or a long run of consonants."""
    if len(letters) >= 3 and not any(char in vowels for char in letters):
        return True
    run = 0
    for char in letters:
        run = 0 if char in vowels else run + 1
        if run >= _CONSONANT_RUN:
            return True
    return False


def _misspelt_cjk(word: str, letters: list[str]) -> bool:
    if _HALF_WIDTH_KANA.search(word) and any(not _HALF_WIDTH_KANA.match(c) for c in letters):
        return True  # half-width kana spell a whole name or none of it
    return any(not _common(char) for char in letters if _is_cjk(char))


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


# The first level of each national character set holds its everyday characters: GB2312's 3,755
# hanzi, JIS X 0208's 2,965 kanji, Big5's 5,401 frequent ones, and KS X 1001's 2,350 Hangul.
_EVERYDAY = (("gb2312", 0xB0, 0xD7), ("euc_jp", 0xB0, 0xCF), ("big5", 0xA4, 0xC6))


@lru_cache(maxsize=8192)
def _common(char: str) -> bool:
    if 0xAC00 <= ord(char) <= 0xD7AF:
        try:
            # (Python writes the syllables KS X 1001 lacks as 8-byte jamo sequences.)
            return len(char.encode("euc_kr")) == 2
        except UnicodeEncodeError:
            return False
    for encoding, low, high in _EVERYDAY:
        try:
            encoded = char.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= encoded[0] <= high:
            return True
    return False
