"""LeadDesk's desktop window (PySide6). A client of the ``leaddesk`` core, nothing more."""

from ui import refcounts as _refcounts  # noqa: F401  (guards PySide6 6.12 on Python 3.11)
