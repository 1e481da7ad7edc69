"""What LeadDesk knows about one tool's export."""

from __future__ import annotations

from dataclasses import dataclass, field

from leaddesk.intake.fields import Field


@dataclass(frozen=True)
class ShapeInfo:
    # Columns the tool's default export nearly always has; their overlap names the shape.
    typical: frozenset[str]
    # Columns only this tool writes: one of them decides a close call.
    marks: frozenset[str]
    # The tool's own meaning of a column where it differs from the general synonyms; None
    # keeps a column that the synonyms would misread as an extra attribute.
    own: dict[str, Field | None] = field(default_factory=dict)
    # The source its leads are filed under when the user names none; None: the file's name.
    source: str | None = None
    # The tool as users call it, for "recognised as an export from …".
    tool: str = ""
