"""Which encoding a CSV export is in: declared and checked, or detected (docs/architecture.md §6).

An encoding the caller declares is trusted and checked strictly; if the file is not in it,
that is an error saying what the file looks like instead. Without a declaration the encoding is
detected on a leading sample; when detection says UTF-8 but a later byte is not, that byte is
read as cp1252 (Excel's Western default) and the reader records a warning.
"""

from __future__ import annotations

import codecs
import re
import threading
from pathlib import Path

import charset_normalizer

from leaddesk.files.reading import utf16_without_bom
from leaddesk.intake.equal_readings import Reading, settle
from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.legible_text import legibility
from leaddesk.intake.spelling import has_hangul, unlikely_words

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_FALLBACK = "leaddesk-cp1252-fallback"
fallback_seen = threading.local()


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 refused as cp1252 (latin-1 for its five unassigned bytes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    fallback_seen.count = getattr(fallback_seen, "count", 0) + 1
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), error.end


codecs.register_error(_UTF8_FALLBACK, _cp1252_fallback)


def check_declared(path: Path, sample: bytes, whole: bool, declared: str) -> str:
    try:
        name = codecs.lookup(declared).name
    except LookupError as error:
        raise IntakeFileError(
            path, f"unknown encoding '{declared}'", kind=FileProblem.ENCODING
        ) from error
    if name == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    try:
        codecs.getincrementaldecoder(name)().decode(sample, whole)
    except UnicodeDecodeError as error:
        row = sample[: error.start].count(b"\n") + 1
        looks = _guess(sample, whole)
        hint = f"; it looks like {looks}" if looks and looks != name else ""
        raise IntakeFileError(
            path,
            f"is not {declared} (byte 0x{sample[error.start]:02X}){hint}; "
            "import it again with the right encoding, or none to detect it",
            kind=FileProblem.ENCODING,
            row=row,
        ) from error
    wide = utf16_without_bom(sample) if b"\x00" in sample else None
    if wide is not None and not name.startswith(("utf-16", "utf-32")):
        # Read as a one-byte encoding, UTF-16 text turns into NULs between the letters.
        raise IntakeFileError(
            path,
            f"is {wide.upper()} text, not {declared}; import it again with the encoding "
            f"{wide}, or none to detect it",
            kind=FileProblem.ENCODING,
        )
    return name


# charset-normalizer often ties cp1250, cp1252 and cp1257 on Western text (and cp1250 turns
# "Ødegård" into "Řdegĺrd"); on a tie, Excel's Western default is the likely truth.
_PREFERRED_ON_TIE = ("utf_8", "cp1252", "latin_1", "iso8859_15")

# The code pages a detected file may be in: Windows, ISO and DOS pages of the regions reps call,
# and East Asia's. charset-normalizer ranks a short file by letter frequencies and can leave the
# real one out (a two-row ISO-8859-2 Polish file came back as Big5 or Shift-JIS only) or put a
# rare one first (ISO-8859-14, Celtic, for Lithuanian), so every page here is read and judged.
_CANDIDATES = (
    "cp1252",
    "cp1250",
    "iso8859_2",
    "cp1257",
    "iso8859_13",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "iso8859_5",
    "mac_cyrillic",
    "cp866",
    "cp437",
    "cp850",
    "cp852",
    "cp775",
    "iso8859_15",
    "latin_1",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "iso8859_9",
    "cp1255",
    "cp1256",
    "cp874",
    "mac_roman",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
    "gb18030",
    "big5",
)
_KNOWN = frozenset(codecs.lookup(name).name for name in _CANDIDATES)
_TWO_BYTE = frozenset(
    codecs.lookup(name).name
    for name in ("shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "gb18030", "big5")
)


# How much of the sample's text beyond ASCII is judged: a few hundred names tell.
_JUDGED_BYTES = 16 * 1024


def _wide_lines(sample: bytes, whole: bool) -> bytes:
    """The sample's whole lines with a byte beyond ASCII, the only ones code pages read
    differently (a newline byte is never part of a character in any of them), up to
    _JUDGED_BYTES."""
    lines = sample.split(b"\n")
    if not whole:
        lines.pop()  # perhaps cut short inside a character
    picked: list[bytes] = []
    size = 0
    for line in lines:
        if not line.isascii():
            picked.append(line)
            size += len(line)
            if size >= _JUDGED_BYTES:
                break
    return b"\n".join(picked)


def _guess(sample: bytes, whole: bool = True, region: str | None = None) -> str | None:
    """The code page to read the sample with (see _readings); None when it is not text or
    cannot be told."""
    chosen = _readings(sample, whole, region)
    return chosen.encoding if isinstance(chosen, Reading) else None


def _readings(sample: bytes, whole: bool, region: str | None) -> Reading | list[Reading] | None:
    """Of the known code pages, the one whose reading of the sample is most legible
    (legible_text's rule: fewest words with impossible characters or spelt in no one
    alphabet, then fewest spelt against their language (spelling's rule), …); on a tie
    between scripts, equal_readings settles it or gives the readings it could be; on a tie
    within one, a one-byte code page, then charset-normalizer's choice (Excel's Western
    default among its near-equals), then its order, then the order above. None: not text."""
    matches = list(charset_normalizer.from_bytes(sample))
    order: list[str] = []
    if matches:
        best = matches[0]
        tied = {
            match.encoding
            for match in matches
            if match.percent_chaos <= best.percent_chaos + 0.1
            and match.percent_coherence >= best.percent_coherence - 1.0
        }
        chosen = next((name for name in _PREFERRED_ON_TIE if name in tied), best.encoding)
        order = [chosen, *(match.encoding for match in matches)]
    seen: set[str] = set()
    scored: list[tuple[tuple[float, ...], bool, int, Reading]] = []
    judged = _wide_lines(sample, whole)
    for name in (*order, *_CANDIDATES):
        canonical = codecs.lookup(name).name
        if canonical in seen or canonical not in _KNOWN:
            continue
        seen.add(canonical)
        try:
            codecs.getincrementaldecoder(canonical)().decode(sample, whole)
            text = judged.decode(canonical)
        except UnicodeDecodeError:
            continue
        # Equally legible, a reading in an alphabet beats one in two-byte characters: a
        # Russian name in Windows-1251 also reads as Korean Hanja ("珞造彦"), never the reverse.
        wide = canonical in _TWO_BYTE
        scored.append((_rank(text, canonical), wide, len(scored), Reading(canonical, text)))
    if not matches or not scored:
        return None  # not text: charset-normalizer found no code page it reads as one
    scored.sort(key=lambda entry: entry[:3])
    # How rare a reading's letters are breaks no tie between Latin pages on its own: "Ayşe"
    # (Turkish) and "Ayže" (Windows-1257) are both names; the team's region says which.
    best_rank = scored[0][0][:-1]
    equal = [entry[3] for entry in scored if entry[0][:-1] == best_rank]
    chaos = [(match.encoding, match.percent_chaos) for match in matches]
    return settle(equal, region, chaos)


def _rank(text: str, encoding: str) -> tuple[float, ...]:
    read = legibility(text).rank()
    unlikely = unlikely_words(text)
    if encoding in _KOREAN:
        # Korean names are written in Hangul: a Korean page reading the file as Hanja (wholly,
        # or beside Hangul) is reading Chinese or Japanese bytes.
        unlikely += sum(1 for word in set(text.split()) if _HAN.search(word))
        if not has_hangul(text):
            unlikely += 1
    return (read[0], read[1], unlikely, *read[2:])


_KOREAN = frozenset(codecs.lookup(name).name for name in ("euc_kr", "cp949"))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def ambiguous(path: Path, readings: list[Reading]) -> IntakeFileError:
    """The refusal of a file that reads equally well in several scripts' code pages."""
    shown = "; ".join(
        f"{reading.encoding.upper()} ({reading.family}: “{reading.first_word()}”)"
        for reading in readings
    )
    names = ", ".join(reading.encoding for reading in readings[:2])
    return IntakeFileError(
        path,
        f"is not UTF-8, and has too few names to tell its encoding: it reads as {shown}; "
        f"import it again naming its encoding (--encoding {names}…), or save it as UTF-8",
        kind=FileProblem.ENCODING,
    )


def detect_encoding(
    path: Path, sample: bytes, whole: bool, region: str | None = None
) -> tuple[str, str]:
    """The encoding to read with and the error handler: BOM first, then UTF-8, then a guess."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, "strict"
    if b"\x00" in sample:
        # Anything with NULs in it that is not UTF-16 is not text at all.
        wide = utf16_without_bom(sample)
        if wide is not None:
            return wide, "strict"
        raise IntakeFileError(path, "is a binary file, not a CSV export", kind=FileProblem.BINARY)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, whole)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", _UTF8_FALLBACK
    chosen = _readings(sample, whole, region)
    if isinstance(chosen, list):
        raise ambiguous(path, chosen)
    guessed = chosen.encoding if chosen is not None else None
    if guessed is None:
        raise IntakeFileError(
            path,
            "is not UTF-8, nor text in any other encoding we recognise; is it really a CSV "
            "export? If it is, import it again naming its encoding (--encoding)",
            kind=FileProblem.BINARY,
        )
    read = legibility(codecs.getincrementaldecoder(guessed)("replace").decode(sample, whole))
    if read.broken + read.foreign >= _GARBLED_WORDS:
        # Better refused than imported as mojibake: the user knows what the file is in.
        shown = ", ".join(f"“{word[:24]}”" for word in read.first_broken)
        raise IntakeFileError(
            path,
            f"is not UTF-8, and read as {guessed.upper()} its names come out garbled "
            f"({shown}); save it as UTF-8, or import it again naming its encoding "
            "(--encoding cp1250, cp1257, cp437…)",
            kind=FileProblem.ENCODING,
        )
    return guessed, "strict"


# Garbled words in the sample that make a detected encoding a refusal rather than a guess.
_GARBLED_WORDS = 2


def detected_code_page(encoding: str | None, declared: str | None) -> str | None:
    """The code page to name to the user, who may want to check the names came out right: a
    detected one, not Unicode (whose bytes say what they are)."""
    if declared is not None or encoding is None:
        return None
    if codecs.lookup(encoding).name.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    return encoding.upper()


def refuse_binary(path: Path, text: str) -> None:
    # Control characters other than layout ones mean a binary file decoded as if it were text.
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise IntakeFileError(path, "is a binary file, not a CSV export", kind=FileProblem.BINARY)


def not_in_encoding(path: Path, encoding: str, *, declared: bool) -> IntakeFileError:
    """The error for a file with bytes its encoding cannot have, naming the first of them: its
    row (line) and its offset in the file. Only on the error path: the file is read again."""
    place = first_bad_byte(path, encoding)
    looks = "" if declared else " as detected"
    if place is None:  # the file changed while it was read
        return IntakeFileError(
            path, f"is not valid {encoding}{looks}; import it again", kind=FileProblem.ENCODING
        )
    offset, value, row = place
    if value is None:
        what = "the last character, cut short"
    elif len(value) == 1:
        what = f"byte 0x{value[0]:02X}"
    else:
        what = "bytes " + " ".join(f"{byte:02X}" for byte in value)
    shown = codecs.lookup(encoding).name.removesuffix("-sig").upper()
    return IntakeFileError(
        path,
        f"is not valid {shown}{looks} ({what} at byte {offset:,}); "
        "save it as UTF-8, or import it again naming its encoding",
        kind=FileProblem.ENCODING,
        row=row,
    )


def first_bad_byte(path: Path, encoding: str) -> tuple[int, bytes | None, int] | None:
    """(offset in the file, the bytes or None at a cut-short end, its line) of the first byte
    ``encoding`` cannot decode; None when the whole file decodes."""
    plain, skip = _without_bom(encoding, path)
    decoder = codecs.getincrementaldecoder(plain)("strict")
    newline = "\n".encode(plain)
    fed, lines = skip, 0
    try:
        with path.open("rb") as handle:
            handle.seek(skip)
            while True:
                block = handle.read(1 << 20)
                try:
                    decoder.decode(block, final=not block)
                except UnicodeDecodeError as error:
                    held = max(0, len(error.object) - len(block))  # bytes held over
                    offset = max(0, fed - held + error.start)
                    lines += error.object[held : error.start].count(newline)
                    cut = error.start >= len(error.object) or "truncated" in error.reason
                    bad = error.object[error.start : max(error.end, error.start + 1)][:4]
                    return offset, None if cut else bad, lines + 1
                if not block:
                    return None
                # Lines counted on raw bytes: an encoded newline never occurs inside another
                # character in UTF-8, and in UTF-16/32 only misaligned, which is rare enough
                # for a message.
                lines += block.count(newline)
                fed += len(block)
    except OSError:
        return None


def _without_bom(encoding: str, path: Path) -> tuple[str, int]:
    """The codec that reads the file after its byte-order mark, and the mark's length."""
    name = codecs.lookup(encoding).name
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError:
        start = b""
    for bom, plain in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if name in ("utf-8-sig", "utf-16", "utf-32") and start.startswith(bom):
            return plain, len(bom)
    if name == "utf-8-sig":
        return "utf-8", 0
    if name in ("utf-16", "utf-32"):
        return f"{name}-le", 0  # Python's default without a mark
    return name, 0
