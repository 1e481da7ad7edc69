"""The team lead's console: the team view, moving leads between reps, the untouched-lead sweep,
users and capacity, and the report figures behind the dashboards.

Functions here take a Session, the acting user's id and the time; permissions are checked by
the desk before it opens the transaction.
"""
