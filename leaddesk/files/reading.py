"""Reading a text file the user named (a definition, an answers file): UTF-8, a BOM allowed,
and a message saying what is wrong with it instead of a decoder's traceback."""

from __future__ import annotations

from pathlib import Path

from leaddesk.errors import InputError

# Definitions and answers files are a few kilobytes; far more is a wrong file, not a big one.
MOST_BYTES = 5 * 1024 * 1024


def read_text_file(file: str | Path, what: str) -> str:
    """The file's text; ``what`` names the kind of file in messages ("an answers file")."""
    try:
        size = Path(file).stat().st_size
        if size > MOST_BYTES:
            raise InputError(
                f"{file}: {size / 1024 / 1024:,.0f} MB is far too big for {what}; "
                "is it the right file?"
            )
        return Path(file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{file}: is a folder, not {what}") from None
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise InputError(
            f"{file}: is not UTF-8 text (byte 0x{byte:02X} at position {error.start:,}); "
            f"is it really {what}? If so, save it as UTF-8 and try again"
        ) from None
    except OSError as error:
        raise InputError(f"{file}: cannot read it ({error.strerror or error})") from None


def utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM puts a NUL in every other byte of Latin text: its codec, or None."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def why_no_folder(path: Path, error: OSError) -> str:
    """Why the folder for ``path`` could not be made: a file in the way, or the system's words."""
    blocking = next((parent for parent in path.parents if parent.exists()), None)
    if blocking is not None and not blocking.is_dir():
        return f"{blocking} is a file, not a folder"
    return error.strerror or str(error)
