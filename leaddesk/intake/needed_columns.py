"""The columns an import cannot do without: an email or a phone (docs/architecture.md §6).

A file whose rows can never become a lead (names only, or nothing recognised) is refused before
any row is read, naming the columns it has and the ones it needs, so an import that would
import nothing never reports success.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.mapping import IDENTIFYING, Field

# A row is imported when it has a usable email or phone: one of these columns must be there.
CONTACT = frozenset({Field.EMAIL, Field.PHONE, Field.MOBILE})
NEEDED = "a lead needs an email or a phone column, such as Email, Phone or Mobile"


def require_email_or_phone(
    targets: Collection[Field], file: str | Path, header: Sequence[str]
) -> None:
    """Raise (exit 2 at the command line; the window opens the columns instead) unless a
    column feeds the email, the phone or the mobile."""
    if CONTACT.intersection(targets):
        return
    found = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
    what = (
        "no email or phone column recognised"
        if IDENTIFYING.intersection(targets)
        else "no recognisable columns"
    )
    raise IntakeFileError(
        file,
        f"{what} (found: {found}); {NEEDED}. Rename the column, or choose it in the "
        "import window or with --mapping",
        kind=FileProblem.NO_COLUMNS,
    )
