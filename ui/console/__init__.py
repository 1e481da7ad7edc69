"""The team lead console: the team, moving leads, users, the definition, dashboards."""
