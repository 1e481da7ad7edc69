"""A person's phone numbers, emails and names, cleaned the same way wherever they are typed:
an import, the do-not-call list, a contact correction (docs/architecture.md §3)."""
