"""The export shapes LeadDesk recognises, one small module per tool (docs/import-shapes.md).

Each shape says which columns its tool's export nearly always has, which only that tool writes,
what the tool means by a column where that differs from the general synonyms, and the source
its leads get when the user names none. ``explain_repeats`` names the columns of an export
whose headers repeat on purpose (a HubSpot export carrying its companies' properties).
"""

from __future__ import annotations

from leaddesk.intake.fields import Shape
from leaddesk.intake.shapes import (
    address_books,
    apollo,
    google_contacts,
    hubspot,
    linkedin,
    marketo,
    plain,
    salesforce,
)
from leaddesk.intake.shapes.shape import ShapeInfo

SHAPES: dict[Shape, ShapeInfo] = {
    Shape.SALESFORCE: salesforce.SHAPE,
    Shape.HUBSPOT: hubspot.SHAPE,
    Shape.MARKETO: marketo.SHAPE,
    Shape.LINKEDIN: linkedin.LEAD_GEN,
    Shape.LINKEDIN_CONNECTIONS: linkedin.CONNECTIONS,
    Shape.GOOGLE_CONTACTS: google_contacts.SHAPE,
    Shape.OUTLOOK: address_books.OUTLOOK,
    Shape.THUNDERBIRD: address_books.THUNDERBIRD,
    Shape.APOLLO: apollo.SHAPE,
    Shape.BUSINESS_LIST: plain.BUSINESS_LIST,
    Shape.PLAIN: plain.PLAIN,
}


def explain_repeats(names: list[str]) -> list[str] | None:
    """The header with its repeated names told apart by the side they belong to, when a known
    shape explains why they repeat; None when none does (the file is then refused)."""
    return hubspot.name_sides(names)


def source_for(shape: Shape) -> str | None:
    """The source an export of this shape is filed under; None when its tool cannot be told."""
    info = SHAPES.get(shape)
    return info.source if info is not None else None


def tool_of(shape: Shape) -> str | None:
    """The tool that writes this shape, as users call it ("HubSpot"); None: no tool."""
    info = SHAPES.get(shape)
    return info.tool or None if info is not None else None


__all__ = ["SHAPES", "ShapeInfo", "explain_repeats", "source_for", "tool_of"]
