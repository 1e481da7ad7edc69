"""The three kinds of failure a user can meet, each with the CLI exit code that reports it.

Anything else that escapes is a bug and is reported as one (exit 1, crash dialog).
"""

from __future__ import annotations


class LeadDeskError(Exception):
    """Base for failures the user caused or can act on; never shown with a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(LeadDeskError):
    """Bad input or usage the user can fix: a file, a row, a field, an unknown name.

    ``field`` names the input at fault as the core knows it ("callback", "phone", "reason"),
    so each front end can point at it: the CLI as its flag ("--callback: ..."), the window by
    focusing the box. The message is a plain sentence that never names a flag
    (docs/architecture.md §7). A file's problems keep the file and row in the message.
    """

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotPermitted(LeadDeskError):
    """The acting user's role does not allow this."""

    exit_code = 3


class Conflict(LeadDeskError):
    """Someone else changed or holds the same thing; reload and try again."""

    exit_code = 4


class MovedDuringCall(Conflict):
    """A team lead moved the lead of the rep's call in progress: the claim on it is gone, yet
    the call is kept when logged. Said where the call is, not in a box that stops it."""


class StoreError(InputError):
    """The store cannot be opened as asked (missing, too new, unreachable)."""
