"""Marketo list exports."""

from __future__ import annotations

from leaddesk.intake.fields import keys
from leaddesk.intake.shapes.shape import ShapeInfo

SHAPE = ShapeInfo(
    frozenset(keys(
        "Id", "First Name", "Last Name", "Email Address", "Phone Number", "Company Name",
        "Job Title", "Lead Source", "Created At", "Updated At", "Lead Score",
        "Acquisition Program", "Person Source", "Lead Status",
    )),
    frozenset(keys(
        "Created At", "Updated At", "Lead Score", "Acquisition Program", "Person Source",
        "Original Source Type", "Person Status", "Marketo Sales Person ID", "Unsubscribed",
    )),
    source="marketo",
    tool="Marketo",
)  # fmt: skip
