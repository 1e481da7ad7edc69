"""An import keeps each of a person's numbers: the phone to dial first, the mobile and a
direct line, and the lead's file shows all three."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import Store
from leaddesk.store.models import Lead
from tests.intake.test_intake_import import write_csv

HEADER = ["First Name", "Last Name", "Email", "Phone", "Mobile", "Direct Line", "Company"]


def test_phone_mobile_and_direct_line_are_kept_from_an_import(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    rows = [
        ["Ada", "Byron", "ada@engines.example", "+44 20 7946 0001", "+44 7911 123456",
         "+44 20 7946 0999", "Engines"],
        ["Bo", "Only", "bo@engines.example", "", "+44 7911 123457", "not known", "Engines"],
    ]  # fmt: skip
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "numbers.csv", rows, HEADER))
        with store.reading() as session:
            ada, bo = session.scalars(select(Lead.id).order_by(Lead.id)).all()
        shown = lead1.queue.lead_file(ada)
        assert shown.numbers == (
            ("phone", "+442079460001"),
            ("mobile", "+447911123456"),
            ("direct line", "+442079460999"),
        )
        # A mobile alone is the number to dial; a direct line that is no number is not kept.
        assert lead1.queue.lead_file(bo).numbers == (("phone", "+447911123457"),)
