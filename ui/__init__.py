"""LeadDesk's desktop window (PySide6). A client of the ``leaddesk`` core, nothing more."""
