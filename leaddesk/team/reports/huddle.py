"""The huddle pack (issue #19 item 4): the one file sales, marketing and the qualifiers read
together every two weeks to tune the lead definition, with the CSV behind each of its tables.

``gather`` reads the figures in one read transaction; ``write_pack`` puts ``huddle.html`` and
the CSVs in a new dated folder, written whole in a temporary folder beside it and renamed into
place, so a reader never finds half a pack.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy.orm import Session

from leaddesk.definition.labels import current_labels
from leaddesk.errors import InputError
from leaddesk.files import writing
from leaddesk.settings import EXPORT_FOLDER, Settings
from leaddesk.team.reports import huddle_answers, huddle_lists
from leaddesk.team.reports.flow import funnel
from leaddesk.team.reports.period import Period, Report, marketing_qualified_label

PAGE = "huddle.html"
WHAT = "the huddle pack"
FOLDER_NAME = "LeadDesk huddles"
MOST_SAME_DAY = 99


@dataclass(frozen=True)
class Huddle:
    """Every figure of one pack: each table is a ``Report``, written as its own CSV."""

    period: Period
    made_at: datetime
    made_by: str
    acceptance_by_version: Report
    acceptance_by_source: Report
    acceptance_by_rep: Report
    rejection_reasons: Report
    rejections: Report
    unanswered: Report
    overrides: Report
    rules_on_rejected: Report
    # The period's leads through the definition's stages, in its words: in the pack when the
    # definition adds a stage of its own (marketing-qualified), which the team tunes too.
    funnel: Report | None = None

    def tables(self) -> tuple[Report, ...]:
        return (
            *((self.funnel,) if self.funnel is not None else ()),
            self.acceptance_by_version,
            self.acceptance_by_source,
            self.acceptance_by_rep,
            self.rejection_reasons,
            self.rejections,
            self.unanswered,
            self.overrides,
            self.rules_on_rejected,
        )


@dataclass(frozen=True)
class HuddlePack:
    """What ``write_pack`` wrote: the folder, its page, and the CSV files by table."""

    folder: Path
    page: Path
    csv_files: tuple[Path, ...]
    huddle: Huddle


def gather(session: Session, span: Period, *, at: datetime, made_by: str) -> Huddle:
    labels = current_labels(session)
    found = huddle_answers.answers(session, span, labels)

    return Huddle(
        period=span,
        made_at=at,
        made_by=made_by,
        acceptance_by_version=huddle_answers.acceptance(
            span,
            found,
            name="acceptance_by_version",
            by="definition version",
            key=lambda answer: answer.version,
        ),
        acceptance_by_source=huddle_answers.acceptance(
            span,
            found,
            name="acceptance_by_source",
            by="source",
            key=lambda answer: answer.source,
        ),
        acceptance_by_rep=huddle_answers.acceptance(
            span, found, name="acceptance_by_rep", by="rep", key=lambda answer: answer.rep
        ),
        rejection_reasons=huddle_answers.rejection_reasons(span, found),
        rejections=huddle_answers.rejections(span, found),
        unanswered=huddle_lists.unanswered(session, span, at),
        overrides=huddle_lists.overrides(session, span, labels),
        rules_on_rejected=huddle_answers.rules_on_rejected(span, found),
        funnel=funnel(session, span) if marketing_qualified_label(session, span) else None,
    )


def default_folder(settings: Settings | None = None) -> Path:
    """Beside the hand-off exports: next to the folder the window exports to, else in the
    user's documents (where the window's "LeadDesk handoffs" folder is)."""
    exports = (settings if settings is not None else Settings())[EXPORT_FOLDER]
    if exports:
        return Path(exports).expanduser().parent / FOLDER_NAME
    return platformdirs.user_documents_path() / FOLDER_NAME


def write_pack(huddle: Huddle, out: Path | None = None) -> HuddlePack:
    """``huddle-SINCE-to-UNTIL`` (``-2``, ``-3``... when made again) in ``out``, whole or not
    at all."""
    from leaddesk.team.reports.huddle_page import page  # draws the charts: matplotlib

    parent = Path(out).expanduser() if out is not None else default_folder()
    writing.make_folder(parent, WHAT)
    files = {PAGE: page(huddle).encode("utf-8")}
    for table in huddle.tables():
        # A byte-order mark makes spreadsheet apps read the file as UTF-8; rows end in CRLF.
        files[f"{table.name}.csv"] = table.csv_text().encode("utf-8-sig")
    temporary = Path(tempfile.mkdtemp(prefix=".huddle-", suffix=".partial", dir=parent))
    target: Path | None = None
    try:
        for name, data in files.items():
            with open(temporary / name, "xb") as written:
                written.write(data)
                written.flush()
                os.fsync(written.fileno())
            os.chmod(temporary / name, 0o644)
        os.chmod(temporary, 0o755)
        writing.sync_folder(temporary)
        span = huddle.period
        target = _new_name(parent, f"huddle-{span.since}-to-{span.until}")
        if os.name == "nt":
            os.rmdir(target)  # Windows renames a folder only onto a free name
        os.replace(temporary, target)  # onto the empty folder that held the name
        writing.sync_folder(parent)
    except OSError as exc:
        if target is not None:
            with contextlib.suppress(OSError):
                target.rmdir()  # only while still the empty folder that held the name
        raise InputError(f"Cannot write {WHAT} in {parent}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
    assert target is not None
    return HuddlePack(
        folder=target,
        page=target / PAGE,
        csv_files=tuple(target / name for name in files if name != PAGE),
        huddle=huddle,
    )


def _new_name(parent: Path, base: str) -> Path:
    """Hold a free name with an empty folder (made, so never someone else's)."""
    for number in range(1, MOST_SAME_DAY + 1):
        target = parent / (base if number == 1 else f"{base}-{number}")
        try:
            os.mkdir(target)
        except FileExistsError:
            continue
        return target
    raise InputError(
        f"{parent} already holds {MOST_SAME_DAY} packs for these days; move some away", field="out"
    )
