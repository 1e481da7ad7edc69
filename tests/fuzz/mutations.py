"""A seeded mutator for hostile-file tests: every case is a pure function of (seed, case), so a
failure printed as ``seed 2026 case 117`` is the same bytes on any machine.

Each mutation returns the new bytes and a short description of what it did, for the failure
report.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

DELIMITERS = b",;\t\n\r\"'=:[]{}<>"
HUGE = 1024 * 1024
BOMS = (
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\xfe\xff",
)
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "cp1252", "shift_jis", "utf-32", "latin-1")

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]


@dataclass(frozen=True)
class Case:
    number: int
    seed_file: str
    how: str
    data: bytes

    def describe(self) -> str:
        return f"case {self.number}: {self.seed_file}, {self.how} ({len(self.data):,} bytes)"


def case_random(seed: int, number: int) -> random.Random:
    """The random source for one case: reproducible on its own, without running the others."""
    return random.Random(f"{seed}:{number}")


def _at(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def bit_flips(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "bit flips (nothing to flip)"
    out = bytearray(data)
    flips = rng.randint(1, 8)
    for _ in range(flips):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out), f"{flips} bit flips"


def truncation(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = _at(rng, data)
    return data[:at], f"truncated at byte {at}"


def byte_insertion(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = _at(rng, data)
    junk = rng.randbytes(rng.randint(1, 32))
    return data[:at] + junk + data[at:], f"{len(junk)} random bytes inserted at {at}"


def byte_deletion(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = _at(rng, data)
    size = rng.randint(1, 64)
    return data[:at] + data[at + size :], f"{size} bytes deleted at {at}"


def _delimiter_places(data: bytes) -> list[int]:
    return [i for i, byte in enumerate(data) if byte in DELIMITERS]


def duplicated_delimiters(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    places = _delimiter_places(data)
    if not places:
        return byte_insertion(rng, data)
    chosen = sorted(rng.sample(places, min(len(places), rng.randint(1, 6))), reverse=True)
    out = bytearray(data)
    for at in chosen:
        out[at:at] = bytes([out[at]]) * rng.randint(1, 3)
    return bytes(out), f"delimiters/quotes at {sorted(chosen)} duplicated"


def removed_delimiters(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    places = _delimiter_places(data)
    if not places:
        return byte_deletion(rng, data)
    chosen = sorted(rng.sample(places, min(len(places), rng.randint(1, 6))), reverse=True)
    out = bytearray(data)
    for at in chosen:
        del out[at]
    return bytes(out), f"delimiters/quotes at {sorted(chosen)} removed"


def stray_quotes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = _at(rng, data)
    quote = rng.choice([b'"', b"'", b'"""', b'\\"'])
    return data[:at] + quote + data[at:], f"{quote!r} inserted at {at}"


def reencoded(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    encoding = rng.choice(ENCODINGS)
    text = data.decode("utf-8", errors="replace")
    return text.encode(encoding, errors="replace"), f"re-encoded as {encoding}"


def huge_field(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    places = _delimiter_places(data) or [_at(rng, data)]
    at = rng.choice(places) + 1
    filler = rng.choice([b"x", b"\xc3\xa9", b"9", b"a,", b'"'])
    field = (filler * (HUGE // len(filler) + 1))[:HUGE]
    if rng.random() < 0.5:
        field = b'"' + field + b'"'
    return data[:at] + field + data[at:], f"1 MB field of {filler!r} after byte {at}"


def nul_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    out = bytearray(data)
    count = rng.randint(1, 16)
    for _ in range(count):
        out.insert(rng.randrange(len(out) + 1), 0)
    return bytes(out), f"{count} NUL bytes inserted"


def bom(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    mark = rng.choice(BOMS)
    where = rng.choice(["start", "twice", "middle"])
    if where == "start":
        return mark + data, f"BOM {mark!r} at the start"
    if where == "twice":
        return mark + mark + data, f"BOM {mark!r} twice"
    at = _at(rng, data)
    return data[:at] + mark + data[at:], f"BOM {mark!r} at byte {at}"


def empty(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return rng.choice([b"", b"\n", b"\r\n\r\n", b" ", b"\xef\xbb\xbf"]), "empty"


def binary_junk(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    size = rng.choice([1, 7, 512, 4096, 65536])
    head = rng.choice([b"", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"\x1f\x8b"])
    return head + rng.randbytes(size), f"{size} bytes of junk after {head!r}"


def splice(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """The file's end pasted in the middle of itself (a half-written save)."""
    if len(data) < 2:
        return bit_flips(rng, data)
    cut, other = sorted(rng.sample(range(len(data)), 2))
    return data[:cut] + data[other:], f"bytes {cut}..{other} cut out"


# Characters that look like digits, signs and quotes to a person but not to int() or csv.
LOOKALIKES = {
    ord("1"): ["\u00b9", "\uff11", "\u0661"],  # superscript, full-width, Arabic-Indic
    ord("2"): ["\u00b2", "\uff12"],
    ord("3"): ["\u00b3", "\u0663"],
    ord("-"): ["\u2212", "\uff0d"],
    ord(","): ["\uff0c", "\u201a"],
    ord('"'): ["\u201c", "\uff02"],
    ord("="): ["\uff1d"],
    ord("@"): ["\uff20"],
}
PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',
    "'; DROP TABLE leads; --",
    "\u202eevil\u202c",
    "\u2028",
    "\x00",
    "\x1b[31m",
    "@SUM(1)",
    "\uff1d1+1",
    "\ufeff",
    "\ud800",  # a lone surrogate, written with surrogatepass below
)


def lookalikes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A digit, sign or quote swapped for its look-alike: text that int() or csv trips on."""
    places = [i for i, byte in enumerate(data) if byte in LOOKALIKES]
    if not places:
        return payload(rng, data)
    at = rng.choice(places)
    other = rng.choice(LOOKALIKES[data[at]]).encode("utf-8")
    return data[:at] + other + data[at + 1 :], f"byte {at} ({chr(data[at])!r}) as {other!r}"


def payload(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A hostile string pasted after a delimiter, where a field starts."""
    places = _delimiter_places(data) or [0]
    at = rng.choice(places) + 1
    text = rng.choice(PAYLOADS).encode("utf-8", errors="surrogatepass")
    return data[:at] + text + data[at:], f"{text!r} inserted at {at}"


BYTE_MUTATIONS: tuple[Mutation, ...] = (
    lookalikes,
    payload,
    bit_flips,
    truncation,
    byte_insertion,
    byte_deletion,
    duplicated_delimiters,
    removed_delimiters,
    stray_quotes,
    reencoded,
    huge_field,
    nul_bytes,
    bom,
    empty,
    binary_junk,
    splice,
)


def stacked(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    steps = []
    for _ in range(rng.randint(2, 3)):
        data, how = rng.choice(BYTE_MUTATIONS)(rng, data)
        steps.append(how)
    return data, " then ".join(steps)


def mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    mutation = rng.choice((*BYTE_MUTATIONS, stacked, stacked))
    return mutation(rng, data)


def _small_mutation(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    # Members get everything but the 1 MB fields, which only make a zip slow to build.
    mutation = rng.choice([m for m in BYTE_MUTATIONS if m is not huge_field])
    return mutation(rng, data)


def mutate_zip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """An XLSX (a zip) with one member damaged, removed or doubled; or the zip itself damaged."""
    choice = rng.random()
    if choice < 0.3:
        return mutate_bytes(rng, data)
    source = zipfile.ZipFile(io.BytesIO(data))
    members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    victim = rng.randrange(len(members))
    name = members[victim][0]
    if choice < 0.8:
        damaged, how = _small_mutation(rng, members[victim][1])
        members[victim] = (name, damaged)
        how = f"member {name}: {how}"
    elif choice < 0.9:
        del members[victim]
        how = f"member {name} removed"
    else:
        members.append((name, members[victim][1]))
        how = f"member {name} stored twice"
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        warnings.simplefilter("ignore")  # "Duplicate name": the doubled member is the point
        for member, content in members:
            target.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue(), how


def cases(seed: int, numbers: Sequence[int], seeds: Sequence[tuple[str, bytes]]) -> Iterator[Case]:
    """The mutated files ``numbers`` from the seed files, each reproducible on its own."""
    for number in numbers:
        rng = case_random(seed, number)
        name, data = seeds[rng.randrange(len(seeds))]
        if data[:4] == b"PK\x03\x04":
            mutated, how = mutate_zip(rng, data)
        else:
            mutated, how = mutate_bytes(rng, data)
        yield Case(number, name, how, mutated)


def mutate_gzip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A gzip file (a backup): half the time damaged as bytes, half the time its content
    damaged and compressed again, so the reader behind the decompressor is reached."""
    import gzip

    if rng.random() < 0.4:
        return mutate_bytes(rng, data)
    inner, how = _small_mutation(rng, gzip.decompress(data))
    return gzip.compress(inner, mtime=0), f"content {how}, compressed again"


# --- lead definitions: valid TOML with one value made hostile ------------------------------

LEAF_REPLACEMENTS: tuple[object, ...] = (
    "",
    " ",
    "x" * HUGE,
    -1,
    0,
    10**20,
    2**63,
    -(2**63) - 1,
    1e308,
    float("nan"),
    float("inf"),
    True,
    [],
    {},
    [1, "two", 3.0],
    {"": ""},
    '=HYPERLINK("http://evil.example")',
    "\u202eevil",
    "'; DROP TABLE leads; --",
    "a\x00b",
    "[[[[[[[[",
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    import json

    return json.dumps(str(value))  # JSON's escapes are TOML's basic-string escapes


def _toml_key(key: str) -> str:
    import json

    return json.dumps(key)


def to_toml(document: dict[str, object]) -> str:
    """A TOML document with every top-level key on one line (nested parts inline)."""
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in document.items())


def _places(value: object, path: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def mutate_definition(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Half the time bytes; else one value of the parsed definition replaced, removed or
    repeated, written back as valid TOML, so the checks behind the TOML parser are reached."""
    import tomllib

    if rng.random() < 0.4:
        return mutate_bytes(rng, data)
    document = tomllib.loads(data.decode("utf-8"))
    path = rng.choice([p for p in _places(document) if p])
    parent: object = document
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    last = path[-1]
    choice = rng.random()
    where = ".".join(str(step) for step in path)
    assert isinstance(parent, dict | list)
    if choice < 0.15:
        del parent[last]  # type: ignore[arg-type]
        how = f"{where} removed"
    elif choice < 0.3 and isinstance(parent, list):
        parent.insert(int(str(last)), parent[int(str(last))])
        how = f"{where} repeated"
    else:
        value = rng.choice(LEAF_REPLACEMENTS)
        parent[last] = value  # type: ignore[index]
        shown = (
            repr(value) if len(repr(value)) < 40 else f"{repr(value)[:30]}… ({len(repr(value))})"
        )
        how = f"{where} = {shown}"
    return to_toml(document).encode("utf-8"), how
