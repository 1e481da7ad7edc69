"""Make the README's screenshots from the real window on a demo store.

Run: QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--db demo.sqlite3]

docs/workspace.png is what `leaddesk gui --as rep1 --screenshot` saves (the queue and the first
lead); docs/questionnaire.png is the same window mid-call: the next lead taken (N), called (C),
connected (1) and half the questions answered, with the live scores and suggested verdict;
docs/team-console.png is the team lead's console on its Rebalance tab, with the preview shown;
docs/sales.png is a salesperson's page: the hand-offs waiting, one picked, what the qualifier
found beside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
SIZE = (1440, 860)
ANSWERS = (
    ("contact_check", "yes"),
    ("inquiry_reason", "project"),
    ("pain_level", "major"),
    ("decision_role", "influencer"),
    ("budget_status", "planned"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="demo store (made with `leaddesk demo` if missing)")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "demo.sqlite3"
    leaddesk = [sys.executable, "-m", "ui.app", "--db", str(db)]
    if not db.exists():
        subprocess.run([*leaddesk, "demo", "--leads", "5000"], check=True)
    subprocess.run(
        [*leaddesk, "gui", "--as", "rep1", "--screenshot", str(HERE / "workspace.png")], check=True
    )

    from PySide6.QtWidgets import QApplication

    from leaddesk.desk import Desk, open_desk
    from leaddesk.domain import CallOutcome
    from leaddesk.settings import Settings
    from ui.common.operations import Operations
    from ui.common.theme import apply_theme
    from ui.workspace.window import MainWindow

    app = QApplication([])
    apply_theme(app, "light")

    def _window(desk: Desk) -> MainWindow:
        window = MainWindow(
            desk,
            Operations(inline=True),
            Settings(Path(tempfile.mkdtemp()) / "settings.json"),
            rep_zone="Europe/London",
            dial=lambda _number: True,
            drafts_dir=Path(tempfile.mkdtemp()),
        )
        window.resize(*SIZE)
        window.show()
        return window

    with open_desk(db, "rep1") as desk:
        window = _window(desk)
        app.processEvents()
        window.cycle.next_lead()
        window.cycle.call()
        window.call.log(CallOutcome.CONNECTED)
        app.processEvents()
        for question_id, value in ANSWERS:
            window.questionnaire.fields[question_id].option(value).click()  # type: ignore[attr-defined]
            app.processEvents()
        window.lead.notes.setPlainText("Ops lead; wants it live before the spring peak.")
        window.questionnaire.focus_next_question()
        for _ in range(5):
            app.processEvents()
        target = HERE / "questionnaire.png"
        window.grab().save(str(target))
        print(f"Saved {target}")
        # Leave the demo store as it was: the lead goes back to the queue.
        window.cycle.lead and desk.queue.release(window.cycle.lead.lead_id)
        window.notes.close()

    from ui.console.console import TeamConsole

    with open_desk(db, "lead1") as desk:
        console = TeamConsole(desk, Operations(inline=True))
        console.resize(*SIZE)
        console.show()
        console.tabs.setCurrentWidget(console.rebalance_tab)
        console.rebalance_tab.preview()  # nothing moves until applied
        for _ in range(5):
            app.processEvents()
        target = HERE / "team-console.png"
        console.grab().save(str(target))
        print(f"Saved {target}")
        console.close()

    from ui.sales.window import SalesWindow

    _book_a_meeting(db)
    with open_desk(db, "sales1") as desk:
        sales = SalesWindow(
            desk, Operations(inline=True), Settings(Path(tempfile.mkdtemp()) / "settings.json")
        )
        sales.resize(*SIZE)
        sales.show()
        home = sales.sales_home
        app.processEvents()
        home.table.selectRow(0)
        for _ in range(5):
            app.processEvents()
        target = HERE / "sales.png"
        sales.grab().save(str(target))
        print(f"Saved {target}")
        sales.close()
    return 0


def _book_a_meeting(db: Path) -> None:
    """A meeting on the salesperson's page: a rep books sales1's first free slot for a lead
    handed to them (once; a store that has one already is left as it is)."""
    from sqlalchemy import or_, select

    from leaddesk.desk import open_desk
    from leaddesk.store import open_store
    from leaddesk.store.models import Lead, Meeting, User

    store = open_store(db)
    try:
        with store.reading() as session:
            if session.scalar(select(Meeting.id).limit(1)) is not None:
                return
            sales1 = session.scalar(select(User.id).where(User.name == "sales1"))
            found = session.execute(
                select(Lead.id, User.name)
                .join(User, User.id == Lead.assigned_to_id)
                .where(
                    Lead.stage == "handed_off",
                    or_(Lead.sales_owner_id == sales1, Lead.sales_owner_id.is_(None)),
                )
                .order_by(Lead.id.desc())
                .limit(1)
            ).first()
    finally:
        store.close()
    if found is None:
        return
    lead_id, rep = found
    with open_desk(db, rep) as desk:
        free = desk.meetings.slots(lead_id, days=7, with_="sales1").slots
        if free:
            desk.meetings.book(
                lead_id,
                free[0].starts_at,
                with_="sales1",
                decision_maker="Their CFO",
                ics_out=Path(tempfile.mkdtemp()) / "invitation.ics",
            )


if __name__ == "__main__":
    sys.exit(main())
