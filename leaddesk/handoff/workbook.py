"""The hand-off's optional workbook: the CSV's table as an XLSX, byte-for-byte repeatable."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC

from leaddesk.handoff.records import HandoffRecord
from leaddesk.handoff.render import BatchFacts, columns, rows, sheet_text

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def render_xlsx(records: Sequence[HandoffRecord], facts: BatchFacts) -> bytes:
    """The CSV's table as a workbook, byte-for-byte repeatable.

    openpyxl stamps the save time into the document properties and the zip entries; both
    are replaced with fixed values so a rewrite of the batch has the same SHA-256.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet.append(columns(records))
    for number, row in enumerate(rows(records), start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = sheet_text(value)
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never "f", whatever the text looks like
    naive = facts.created_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book.properties.creator = "LeadDesk"
    book.properties.created = naive
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = naive.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(
                    lambda m: (
                        b"<dcterms:modified" + m.group(1) + b">" + stamp + b"</dcterms:modified>"
                    ),
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()
