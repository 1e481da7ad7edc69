"""Check a handoff folder against its manifest: every file present, unchanged and inert.

Needs no database: sales (or anyone the folder was mailed to) can run it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaddesk.errors import InputError
from leaddesk.handoff.at_once import folderless_code, refuse_folderless
from leaddesk.handoff.cells import is_live
from leaddesk.handoff.files import is_temp
from leaddesk.handoff.render import MANIFEST, PHONE_COLUMNS


@dataclass
class VerifyReport:
    folder: Path
    batch: str | None = None
    lead_count: int | None = None
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "batch": self.batch,
            "lead_count": self.lead_count,
            "ok": self.ok,
            "checked": self.checked,
            "problems": self.problems,
        }


def verify_batch(folder: Path) -> VerifyReport:
    folder = Path(folder)
    if not folder.is_dir():
        if folderless_code(folder.name) and not folder.exists():
            raise refuse_folderless(folder.name)
        raise InputError(f"{folder}: no such folder")
    report = VerifyReport(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        report.problems.append(f"{MANIFEST}: missing, so nothing can be checked")
        return report
    try:
        manifest = _read_manifest(manifest_path)
    except ValueError as exc:
        report.problems.append(f"{MANIFEST}: {exc}")
        return report
    listed, expected, lead_ids = manifest.files, manifest.leads, manifest.lead_ids
    report.batch = manifest.batch
    report.lead_count = expected
    for name, digest in sorted(listed.items()):
        path = folder / name
        if Path(name).name != name:
            report.problems.append(f"{MANIFEST}: {name} is not a plain file name")
            continue
        if not path.is_file():
            report.problems.append(f"{name}: missing")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            report.problems.append(f"{name}: changed since export (SHA-256 differs)")
            continue
        report.checked.append(name)
        try:
            if name.endswith(".csv"):
                _check_csv(name, data, expected, lead_ids, report)
            elif name.endswith(".jsonl"):
                _check_jsonl(name, data, expected, report)
            elif name.endswith(".xlsx"):
                _check_xlsx(name, data, expected, report)
        except UnicodeDecodeError:
            report.problems.append(f"{name}: not UTF-8 text")
    for path in sorted(folder.iterdir()):
        if is_temp(path):
            report.problems.append(f"{path.name}: left over from an interrupted write")
        elif (
            path.name != MANIFEST
            and path.name not in listed
            and report.batch
            and (path.name.startswith(report.batch))
        ):
            report.problems.append(f"{path.name}: not listed in {MANIFEST}")
    return report


@dataclass(frozen=True)
class _Manifest:
    batch: str
    files: dict[str, str]  # name -> SHA-256
    leads: int
    lead_ids: list[int]


def _read_manifest(path: Path) -> _Manifest:
    """The manifest's parts, or ValueError saying what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text, so not a LeadDesk handoff manifest") from None
    except RecursionError:
        raise ValueError("nested too deeply to be a LeadDesk handoff manifest") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}"
        raise ValueError(f"not JSON ({where}), so not a LeadDesk handoff manifest") from None
    files = data.get("files") if isinstance(data, dict) else None
    counts = data.get("counts") if isinstance(data, dict) else None
    leads = counts.get("leads") if isinstance(counts, dict) else None
    if not isinstance(files, dict) or not isinstance(leads, int) or isinstance(leads, bool):
        raise ValueError("not a LeadDesk handoff manifest (no list of files with a lead count)")
    digests = {}
    for name, entry in files.items():
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(digest, str):
            raise ValueError(f"{name} is listed without its SHA-256")
        digests[str(name)] = digest
    ids = data.get("lead_ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ValueError("lead_ids is not a list of lead numbers")
    return _Manifest(str(data.get("batch") or ""), digests, leads, ids)


def _check_csv(
    name: str, data: bytes, expected: int, lead_ids: list[int], report: VerifyReport
) -> None:
    # Cells as long as the file are allowed: a 1 MB note is the rep's text, not damage.
    # (The limit is process-wide, so it is put back at once.)
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, len(data) + 1))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except csv.Error as exc:
        report.problems.append(f"{name}: not readable as CSV ({exc})")
        return
    finally:
        csv.field_size_limit(limit)
    if not rows:
        report.problems.append(f"{name}: empty")
        return
    header, body = rows[0], rows[1:]
    if len(body) != expected:
        report.problems.append(f"{name}: {len(body)} rows, manifest says {expected}")
    for number, row in enumerate(body, start=2):
        for column, cell in zip(header, row, strict=False):
            if is_live(cell, phone=column in PHONE_COLUMNS):
                report.problems.append(f"{name}: row {number}, {column}: starts a formula")
    if "LeadDesk Lead ID" in header and lead_ids:
        at = header.index("LeadDesk Lead ID")
        found = [int(row[at]) for row in body if len(row) > at and _is_number(row[at])]
        if found != lead_ids:
            report.problems.append(f"{name}: lead ids differ from the manifest")


def _is_number(text: str) -> bool:
    # str.isdigit() is also true of "²" and "٣", which int() refuses or reads differently.
    return text.isascii() and text.isdigit()


def _check_jsonl(name: str, data: bytes, expected: int, report: VerifyReport) -> None:
    # JSON Lines end records at "\n" only: a U+2028 or a form feed inside a text is part of
    # its record (json.dumps leaves them unescaped), so str.splitlines() would cut it apart.
    lines = [line for line in data.decode("utf-8").split("\n") if line.strip()]
    if len(lines) != expected:
        report.problems.append(f"{name}: {len(lines)} records, manifest says {expected}")
    for number, line in enumerate(lines, start=1):
        try:
            json.loads(line)
        except (ValueError, RecursionError):
            report.problems.append(f"{name}: line {number} is not JSON")


def _check_xlsx(name: str, data: bytes, expected: int, report: VerifyReport) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except Exception as exc:  # a damaged workbook is a finding, not a crash
        report.problems.append(f"{name}: cannot be opened ({type(exc).__name__})")
        return
    try:
        if not book.worksheets:
            report.problems.append(f"{name}: has no worksheet")
            return
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # a damaged sheet inside a sound zip: a finding too
        report.problems.append(f"{name}: cannot be read ({type(exc).__name__})")
        return
    finally:
        book.close()
    header = [str(cell) for cell in rows[0]] if rows else []
    if len(rows) - 1 != expected:
        report.problems.append(f"{name}: {max(len(rows) - 1, 0)} rows, manifest says {expected}")
    for number, row in enumerate(rows[1:], start=2):
        for column, cell in zip(header, row, strict=False):
            if isinstance(cell, str) and is_live(cell, phone=column in PHONE_COLUMNS):
                report.problems.append(f"{name}: row {number}, {column}: starts a formula")
