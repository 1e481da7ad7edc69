"""Regenerate resources/samples/fair_workbook.xlsx: a workbook of several sheets, as people
keep a trade fair in Excel (the booth visitors, the talks, a summary), for choosing a sheet.

Run: python tests/intake/make_workbook_sheets.py.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

SUMMARY = [["Fair", "Hannover Messe 2026"], ["Booth", "Hall 7, C21"], ["Visitors", "3"]]
VISITORS = [
    ["Full Name", "Company", "Job Title", "Email", "Phone", "Country"],
    ["Greta Hansen", "Hansen Hydraulik GmbH", "Technical Buyer",
     "g.hansen@hansen-hydraulik.example.de", "+49 511 123456", "Germany"],
    ["Marco Bianchi", "Bianchi Automazione Srl", "Plant Manager",
     "marco.bianchi@bianchi-auto.example.it", "+39 011 765 4321", "Italy"],
    ["Eva Horváth", "Danube Controls Kft.", "CEO",
     "eva.horvath@danube-controls.example.hu", "", "Hungary"],
]  # fmt: skip
TALKS = [
    ["Full Name", "Company", "Email", "Talk"],
    [
        "Noah Fischer",
        "Fischer Robotik AG",
        "noah.fischer@fischer-robotik.example.ch",
        "Cobots on the line",
    ],
    [
        "Emma Laurent",
        "Laurent Usinage SAS",
        "emma.laurent@laurent-usinage.example.fr",
        "Cobots on the line",
    ],
]


def write_fair_workbook(target: Path) -> None:
    book = Workbook()
    visitors = book.active
    assert visitors is not None
    visitors.title = "Booth visitors"
    sheets = ((visitors, VISITORS), (book.create_sheet("Talk attendees"), TALKS))
    for sheet, rows in (*sheets, (book.create_sheet("Summary"), SUMMARY)):
        for row in rows:
            sheet.append(row)
    book.save(target)


if __name__ == "__main__":
    write_fair_workbook(SAMPLES / "fair_workbook.xlsx")
