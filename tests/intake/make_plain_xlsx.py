"""Regenerate resources/samples/plain_contacts.xlsx from plain_contacts.csv.

Run: python tests/intake/make_plain_xlsx.py. A few cells are written the way Excel users leave
them: phone numbers as numbers, an added date column as real dates.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def write_plain_xlsx(source: Path, target: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Contacts"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    sheet.append([*rows[0], "added"])
    for index, row in enumerate(rows[1:]):
        phone: str | int = row[2]
        digits = phone.replace(" ", "")
        if index % 4 == 0 and digits.startswith("+") and digits[1:].isdigit():
            # Excel turns "+44…" typed without a leading ' into a number and drops the +.
            phone = int(digits[1:])
        sheet.append([row[0], row[1], phone, row[3], datetime(2024, 8, 1 + index % 28, 9, 30)])
    book.save(target)


if __name__ == "__main__":
    write_plain_xlsx(SAMPLES / "plain_contacts.csv", SAMPLES / "plain_contacts.xlsx")
