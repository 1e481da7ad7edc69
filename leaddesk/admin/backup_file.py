"""A backup file's envelope: gzip, with the SHA-256 of the whole file in its header.

gzip's own CRC covers only the text inside, and only for a reader that gets to the end; the
header's time and name, and the spare bits after the last compressed block, are covered by
nothing. So a backup carries, in a gzip "extra field" (RFC 1952, 2.3.1.1; gzip tools skip
it), the SHA-256 of every byte of the file with that field's 32 bytes read as zeros. A flipped
bit anywhere, or a file cut short, fails the check before one row is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

if TYPE_CHECKING:
    from typing_extensions import Buffer

_MAGIC = b"\x1f\x8b\x08"  # gzip, deflate
_FEXTRA = 0x04
_FIELD = b"LD"  # the extra field's id: "LeadDesk"
_SIZE = hashlib.sha256().digest_size
_AT = 16  # header (10), extra length (2), field id (2), field length (2)
_OS_UNKNOWN = 255


def _header(at: datetime) -> bytes:
    stamp = max(0, int(at.timestamp())) & 0xFFFFFFFF
    field = _FIELD + struct.pack("<H", _SIZE) + bytes(_SIZE)
    return (
        _MAGIC
        + bytes([_FEXTRA])
        + struct.pack("<I", stamp)
        + bytes([0, _OS_UNKNOWN])
        + struct.pack("<H", len(field))
        + field
    )


class _Deflating(io.RawIOBase):
    """Compresses what is written into ``out`` as one gzip member, hashing every byte."""

    def __init__(self, out: BinaryIO, at: datetime) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.crc = 0
        self.size = 0
        self.compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._emit(_header(at))

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer, /) -> int:
        chunk = bytes(data)
        self.crc = zlib.crc32(chunk, self.crc)
        self.size += len(chunk)
        self._emit(self.compressor.compress(chunk))
        return len(chunk)

    def _emit(self, chunk: bytes) -> None:
        self.digest.update(chunk)
        self.out.write(chunk)

    def finish(self) -> None:
        self._emit(self.compressor.flush())
        self._emit(struct.pack("<II", self.crc, self.size & 0xFFFFFFFF))
        self.out.seek(_AT)
        self.out.write(self.digest.digest())
        self.out.seek(0, io.SEEK_END)


@contextmanager
def sealed(out: BinaryIO, at: datetime) -> Iterator[TextIO]:
    """Text written in the block goes into ``out`` (a new, seekable file) compressed; the
    whole-file SHA-256 is written into the header when the block ends without error."""
    body = _Deflating(out, at)
    text = io.TextIOWrapper(io.BufferedWriter(body, 1 << 16), encoding="utf-8", newline="\n")
    try:
        yield text
    except BaseException:
        body.out = io.BytesIO()  # the file is abandoned: what is still buffered goes nowhere
        with contextlib.suppress(Exception):
            text.close()
        raise
    text.flush()
    body.finish()
    text.close()  # closes the compressor's side only; ``out`` stays the caller's


def is_sealed(head: bytes) -> bool:
    """Whether a file starting with ``head`` carries the whole-file SHA-256."""
    return (
        len(head) >= _AT + _SIZE
        and head[:3] == _MAGIC
        and bool(head[3] & _FEXTRA)
        and struct.unpack("<H", head[10:12])[0] == _SIZE + 4
        and head[12:14] == _FIELD
        and struct.unpack("<H", head[14:16])[0] == _SIZE
    )


def seal_holds(source: Path) -> bool | None:
    """True if ``source`` carries a SHA-256 that matches every byte of it, False if it
    carries one that does not (damaged, cut short), None if it carries none (an older
    LeadDesk's backup, or not a backup at all)."""
    with source.open("rb") as read:
        head = read.read(_AT + _SIZE)
        if not is_sealed(head):
            return None
        digest = hashlib.sha256(head[:_AT])
        digest.update(bytes(_SIZE))
        for chunk in iter(lambda: read.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest() == head[_AT:]
