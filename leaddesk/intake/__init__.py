"""Intake, the file side: read an export, map its columns, clean and check each row.

No database here; the desk's import operation strings these together with duplicate checks.
"""

from __future__ import annotations

from leaddesk.contacts.phones import PhoneResult, normalise_phone
from leaddesk.intake.cleanup import (
    EmailResult,
    company_key,
    email_domain,
    normalise_email,
    parse_employees,
    split_full_name,
    tidy,
    tidy_text,
)
from leaddesk.intake.dates import parse_when
from leaddesk.intake.errors import FileProblem, IntakeFileError, NothingToImport
from leaddesk.intake.export_file import ExportFile, RawRow
from leaddesk.intake.mapping import (
    Field,
    Mapping,
    Shape,
    detect_mapping,
    detect_shape,
    load_mapping,
)
from leaddesk.intake.reading import open_export
from leaddesk.intake.rows import (
    MAX_FIELD_CHARS,
    CleanRow,
    RowProblem,
    clean_row,
    clean_rows,
    neutralise,
    write_report,
)

__all__ = [
    "MAX_FIELD_CHARS",
    "CleanRow",
    "EmailResult",
    "ExportFile",
    "Field",
    "FileProblem",
    "IntakeFileError",
    "Mapping",
    "NothingToImport",
    "PhoneResult",
    "RawRow",
    "RowProblem",
    "Shape",
    "clean_row",
    "clean_rows",
    "company_key",
    "detect_mapping",
    "detect_shape",
    "email_domain",
    "load_mapping",
    "neutralise",
    "normalise_email",
    "normalise_phone",
    "open_export",
    "parse_employees",
    "parse_when",
    "split_full_name",
    "tidy",
    "tidy_text",
    "write_report",
]
