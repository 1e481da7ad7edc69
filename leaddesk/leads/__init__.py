"""A lead as the rep sees it: its file, its notes, lists of leads, what may be taken back."""
