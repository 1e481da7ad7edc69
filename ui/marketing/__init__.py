"""The marketing window: the reports by source, campaign and definition version."""
