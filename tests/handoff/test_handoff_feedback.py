"""Sales feedback closes the loop: final stages, opportunities, and safe re-imports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from handoff_helpers import Team, write_feedback
from sqlalchemy import func, select

from leaddesk.cli import main
from leaddesk.domain import SalesDecision, Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.files.resources import resource_path
from leaddesk.handoff import Decision, RejectReason, read_feedback
from leaddesk.store.models import OpportunityRef, SalesFeedback
from tests.one_store import sqlite_only


def handed_off(team: Team, out_dir: Path, count: int) -> list[int]:
    ids = [team.qualified_lead("rep1") for _ in range(count)]
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
    return ids


def test_feedback_moves_leads_to_final_stages_and_records_the_opportunity(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    a, b = handed_off(team, out_dir, 2)
    team.clock.advance(hours=5)
    file = write_feedback(
        tmp_path / "fb.csv",
        [
            f"{a},accepted,006ABC,Dana Reyes,2026-11-18,,Demo booked",
            f"{b},Rejected,,,,duplicate,Frozen until Q2",
        ],
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(file)
    assert (report.accepted, report.rejected, report.problems) == ([a], [b], [])
    assert team.lead(a).stage is Stage.ACCEPTED and team.lead(a).closed_at == team.clock()
    assert team.lead(b).stage is Stage.REJECTED  # the definition sends duplicates to marketing
    with team.store.reading() as session:
        [opportunity] = session.scalars(select(OpportunityRef)).all()
        feedback = {f.lead_id: f for f in session.scalars(select(SalesFeedback))}
    assert (opportunity.lead_id, opportunity.external_id, opportunity.owner) == (
        a,
        "006ABC",
        "Dana Reyes",
    )
    assert feedback[a].opportunity_id == opportunity.id
    assert (feedback[b].decision, feedback[b].reason) == (SalesDecision.REJECTED, "duplicate")
    assert feedback[b].detail == "Frozen until Q2"


def test_importing_the_same_file_twice_changes_nothing(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    a, b = handed_off(team, out_dir, 2)
    file = write_feedback(
        tmp_path / "fb.csv", [f"{a},accepted,006ABC,Dana,,,", f"{b},rejected,,,,bad_timing,"]
    )
    with team.desk("sales1") as desk:
        desk.handoff.import_feedback(file)
        before = [(lead.id, lead.stage, lead.version) for lead in team.leads()]
        team.clock.advance(hours=1)
        again = desk.handoff.import_feedback(file)
    assert again.applied == 0 and again.unchanged == [a, b] and again.problems == []
    assert [(lead.id, lead.stage, lead.version) for lead in team.leads()] == before
    with team.store.reading() as session:
        assert session.scalar(select(func.count()).select_from(OpportunityRef)) == 1


def test_unknown_leads_conflicts_and_bad_rows_are_reported_not_applied(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    a, b, c, d = handed_off(team, out_dir, 4)
    waiting = team.qualified_lead("rep1")  # not handed off yet
    with team.desk("sales1") as desk:
        desk.handoff.import_feedback(write_feedback(tmp_path / "1.csv", [f"{a},accepted,006A,,,,"]))
        report = desk.handoff.import_feedback(
            write_feedback(
                tmp_path / "2.csv",
                [
                    f"{a},rejected,,,,duplicate,",  # row 2: a was accepted already
                    "99999,accepted,006X,,,,",  # row 3: unknown lead
                    f"{b},accepted,,,,,",  # row 4: no opportunity id
                    f"{c},rejected,,,,too_expensive,",  # row 5: reason not in the list
                    f"{d},accepted,006D,,2026-13-01,,",  # row 6: bad date
                    f"{waiting},accepted,006W,,,,",  # row 7: not handed off
                    f"{b},rejected,,,,other,",  # row 8: fine on its own
                    f"{c},accepted,006C,,,,",  # row 9
                    f"{c},rejected,,,,other,",  # row 10: c twice, two decisions
                ],
            )
        )
    found = {(p.row, p.field, p.kind) for p in report.problems}
    assert found == {
        (2, "decision", "conflict"),
        (3, "lead_id", "unknown_lead"),
        (4, "opportunity_id", "invalid"),
        (5, "reason", "invalid"),
        (6, "date", "invalid"),
        (7, "lead_id", "not_handed_off"),
        (9, "decision", "conflict"),
    }
    assert report.rejected == [b] and report.accepted == []
    assert team.lead(a).stage is Stage.ACCEPTED
    assert team.lead(c).stage is Stage.HANDED_OFF
    assert team.lead(d).stage is Stage.HANDED_OFF
    assert team.lead(waiting).stage is Stage.QUALIFIED


# Refused while the file is read, before the store is touched: SQLite is enough.
@sqlite_only
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("lead_id,decision,opportunity id,oops\n1,accepted,006,x\n", "unknown column 'oops'"),
        ("decision,opportunity_id\naccepted,006\n", "the column lead_id is missing"),
        ("# only a comment\n", "empty"),
        ("lead_id,decision\n", "no rows"),
        ("lead_id,decision\n1,accepted,006,extra,more\n", "5 fields but the header has 2"),
    ],
)
def test_a_file_that_is_not_feedback_is_refused_whole(
    team: Team, out_dir: Path, tmp_path: Path, text: str, says: str
) -> None:
    [lead] = handed_off(team, out_dir, 1)
    path = tmp_path / "bad.csv"
    path.write_text(text.replace("1,", f"{lead},"), encoding="utf-8")
    with team.desk("sales1") as desk, pytest.raises(InputError, match=says):
        desk.handoff.import_feedback(path)
    assert team.lead(lead).stage is Stage.HANDED_OFF


# Refused while the file is read, before the store is touched: SQLite is enough.
@sqlite_only
@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x00\x01\x02binary\xff\xfe" * 50, "not a text file; save the decisions as CSV"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "an Excel workbook"),
        ("lead_id,decision," + "x" * 5000 + "\n1,accepted\n", "unknown column 'x{40}'…; col"),
    ],
    ids=["binary", "xlsx", "runaway-header"],
)
def test_a_file_that_is_not_text_is_refused_in_a_short_message(
    team: Team, out_dir: Path, tmp_path: Path, data: bytes | str, says: str
) -> None:
    [lead] = handed_off(team, out_dir, 1)
    path = tmp_path / "decisions.csv"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    with team.desk("sales1") as desk, pytest.raises(InputError, match=says) as refused:
        desk.handoff.import_feedback(path)
    assert len(refused.value.message) < len(str(path)) + 200  # no file content in the message
    assert team.lead(lead).stage is Stage.HANDED_OFF


# How the file is read (decisions applied on both stores are tested above): SQLite is enough.
@sqlite_only
@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (";", "cp1252"),
        ("\t", "utf-16"),
        (";", "utf-8-sig"),
        ("\t", "utf-16-le"),
        (",", "utf-16-be"),
    ],
    ids=[
        "excel-semicolon-csv",
        "excel-unicode-text",
        "semicolon-utf8",
        "utf16-le-no-bom",
        "utf16-be-no-bom",
    ],
)
def test_feedback_saved_by_excel_outside_the_us_reads_the_same(
    team: Team, out_dir: Path, tmp_path: Path, delimiter: str, encoding: str
) -> None:
    """Excel writes semicolons where the decimal mark is a comma, and its "Unicode text" is
    UTF-16 (with a byte-order mark) with tabs; other tools write UTF-16 without the mark."""
    a, b = handed_off(team, out_dir, 2)
    rows = [
        ["lead_id", "decision", "opportunity_id", "owner", "date", "reason", "comment"],
        [str(a), "accepted", "006ÄB", "Dana Müller", "2026-11-18", "", "Démo, booked"],
        [str(b), "rejected", "", "", "", "no_budget", ""],
    ]
    path = tmp_path / "feedback.csv"
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(path)
    assert (report.accepted, report.rejected, report.problems) == ([a], [b], [])
    with team.store.reading() as session:
        [opportunity] = session.scalars(select(OpportunityRef)).all()
        [comment] = [f.detail for f in session.scalars(select(SalesFeedback)) if f.lead_id == a]
    assert (opportunity.external_id, opportunity.owner) == ("006ÄB", "Dana Müller")
    assert comment == "Démo, booked"


# Refused while the file is read, before the store is touched: SQLite is enough.
@sqlite_only
def test_a_binary_file_is_refused_in_words(team: Team, out_dir: Path, tmp_path: Path) -> None:
    [lead] = handed_off(team, out_dir, 1)
    path = tmp_path / "feedback.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with team.desk("sales1") as desk, pytest.raises(InputError, match="not a text file"):
        desk.handoff.import_feedback(path)
    assert team.lead(lead).stage is Stage.HANDED_OFF


def test_the_shipped_template_reads_and_its_examples_import(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    template = resource_path("feedback_template.csv").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="no rows"):
        read_feedback(resource_path("feedback_template.csv"))
    a, b = handed_off(team, out_dir, 2)
    examples = [line[2:] for line in template.splitlines() if line.startswith("# 123")]
    filled = template + "\n".join(
        line.replace("1234,", f"{a},").replace("1235,", f"{b},") for line in examples
    )
    path = tmp_path / "filled.csv"
    path.write_text(filled + "\n", encoding="utf-8")
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(path)
    assert (report.accepted, report.rejected) == ([a], [b])


def test_one_decision_from_the_window_and_its_conflict(team: Team, out_dir: Path) -> None:
    [lead] = handed_off(team, out_dir, 1)
    with team.desk("sales1") as desk:
        rejected = Decision(lead, SalesDecision.REJECTED, reason=RejectReason.DUPLICATE)
        assert desk.handoff.record_decision(rejected) is True
        assert desk.handoff.record_decision(rejected) is False
        with pytest.raises(Conflict, match="already rejected"):
            desk.handoff.record_decision(Decision(lead, SalesDecision.ACCEPTED, "006Z"))
    assert team.lead(lead).stage is Stage.REJECTED


ACCOUNTED = "nothing from this file was recorded"


# The whole file is read before the one transaction that applies it: SQLite is enough.
@sqlite_only
@pytest.mark.parametrize(
    ("rows", "says"),
    [
        (
            [
                '{a},accepted,006A,,,,"Demo booked, call Dana',  # the quote is never closed
                "{b},rejected,,,,no_budget,",
                "{c},accepted,006C,,,,",
            ],
            ['row 2, comment: a quoted cell opened on this row is never closed (missing ")'],
        ),
        (
            ['{a},accepted,006A,,,,"Great" call', "{b},rejected,,,,no_budget,"],
            ['row 2, comment: text after a closing quote ("); expected a comma'],
        ),
        (
            ["{a},accepted,006A,,,,", "{b},rejected,,,,no_budget"],
            ["row 3: 6 fields but the header has 7"],
        ),
        (
            ["{a},accepted,006A,,,,", "12a4,rejected,,,,no_budget,"],
            ["row 3, lead_id: '12a4' is not a lead id (a whole number)"],
        ),
        (
            ["{a},accepted,006A,,,,", ",rejected,,,,no_budget,"],
            ["row 3, lead_id: '' is not a lead id"],
        ),
        (
            ["{a},accepted,006A,,,,", "-7,rejected,,,,no_budget,"],
            ["row 3, lead_id: '-7' is not a lead id"],
        ),
    ],
    ids=["unclosed-quote", "text-after-quote", "short-row", "id-not-a-number", "no-id", "negative"],
)
def test_a_file_whose_rows_cannot_all_be_accounted_for_is_refused_whole(
    team: Team, out_dir: Path, tmp_path: Path, rows: list[str], says: list[str]
) -> None:
    a, b, c = handed_off(team, out_dir, 3)
    file = write_feedback(tmp_path / "fb.csv", [row.format(a=a, b=b, c=c) for row in rows])
    with team.desk("sales1") as desk, pytest.raises(InputError) as refused:
        desk.handoff.import_feedback(file)
    message = refused.value.message
    assert message.startswith(f"{file}: ") and message.endswith(ACCOUNTED), message
    for words in says:
        assert words in message, (words, message)
    assert [team.lead(lead).stage for lead in (a, b, c)] == [Stage.HANDED_OFF] * 3
    with team.store.reading() as session:
        assert session.scalar(select(func.count()).select_from(SalesFeedback)) == 0


# The command's exit and words for a file refused while read: SQLite is enough.
@sqlite_only
def test_feedback_with_an_unclosed_quote_exits_2_from_the_command(
    team: Team, out_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a tester met it: the rows after the quote were swallowed into one comment and the
    command said "1 decision recorded" with exit 0."""
    a, b = handed_off(team, out_dir, 2)
    file = write_feedback(
        tmp_path / "fb.csv", [f'{a},accepted,006A,,,,"Demo booked', f"{b},rejected,,,,other,"]
    )
    capsys.readouterr()
    code = main(["--db", team.location, "feedback", str(file), "--as", "sales1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip().startswith(f"leaddesk: {file}: row 2, comment: a quoted cell"), err
    assert team.lead(a).stage is Stage.HANDED_OFF and team.lead(b).stage is Stage.HANDED_OFF


def test_a_lead_id_past_the_stores_numbers_is_no_such_lead(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    [a] = handed_off(team, out_dir, 1)
    file = write_feedback(
        tmp_path / "fb.csv",
        [
            "3000000000,accepted,006X,,,,",  # past PostgreSQL's integers
            "99999999999999999999,rejected,,,,other,",  # past SQLite's
            f"{a},rejected,,,,bad_timing,",
        ],
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(file)
    assert [(p.row, p.field, p.kind) for p in report.problems] == [
        (2, "lead_id", "unknown_lead"),
        (3, "lead_id", "unknown_lead"),
    ]
    assert "no lead 3000000000 in this store" in str(report.problems[0])
    assert report.rejected == [a]


def test_amounts_in_a_european_sheet_are_read_as_sales_wrote_them(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    """Excel where the decimal mark is a comma writes semicolons and "1.200,50": that is
    1,200.50, not 1.20; "12,50" is 12.50; "1.200" reads two ways and is sent back, naming
    the row and the column, while the other rows count."""
    a, b, c = handed_off(team, out_dir, 3)
    rows = [
        ["lead_id", "decision", "opportunity_id", "owner", "date", "reason", "comment", "amount"],
        [str(a), "accepted", "006A", "Jörg", "2026-11-18", "", "Prüfung läuft", "1.200,50 €"],
        [str(b), "accepted", "006B", "Jörg", "2026-11-18", "", "", "12,50"],
        [str(c), "accepted", "006C", "Jörg", "2026-11-18", "", "", "1.200"],
    ]
    path = tmp_path / "rückmeldung.csv"
    with path.open("w", encoding="cp1252", newline="") as out:
        csv.writer(out, delimiter=";").writerows(rows)
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(path)
    assert report.accepted == [a, b]
    [problem] = report.problems
    assert (problem.row, problem.field) == (4, "amount")
    assert problem.message == "'1.200' could be read two ways; write 1200 or 1.20"
    with team.store.reading() as session:
        amounts = {o.lead_id: o.amount_cents for o in session.scalars(select(OpportunityRef))}
    assert amounts == {a: 120_050, b: 1_250}
    assert team.lead(c).stage is Stage.HANDED_OFF


def test_a_lead_written_with_its_number_sign_is_a_row_not_a_comment(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    """LeadDesk writes a lead as "#1234" (handoff mine, search): a salesperson who types it
    so has the row read; a "# …" line is still a comment."""
    a, b = handed_off(team, out_dir, 2)
    path = tmp_path / "answers.csv"
    path.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment,amount\n"
        "# answered on Monday's call\n"
        f"#{a},accepted,006HASH,,,,,\n"
        f" #{b},rejected,,,,no_budget,,\n",
        encoding="utf-8",
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(path)
    assert (report.accepted, report.rejected, report.problems) == ([a], [b], [])
    assert team.lead(a).stage is Stage.ACCEPTED
    with team.store.reading() as session:
        [opportunity] = session.scalars(select(OpportunityRef)).all()
    assert (opportunity.lead_id, opportunity.external_id) == (a, "006HASH")


def test_a_date_with_more_after_it_than_a_time_is_sent_back_not_cut_short(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    """ "2026-11-180" (a key pressed twice) was read as 18 November; a date with its time, as
    a CRM's export writes it, still reads."""
    a, b = handed_off(team, out_dir, 2)
    file = write_feedback(
        tmp_path / "fb.csv",
        [
            f"{a},accepted,006TIME,,2026-11-18 14:02:00,,",
            f"{b},accepted,006TYPO,,2026-11-180,,",
        ],
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(file)
    assert report.accepted == [a]
    [problem] = report.problems
    assert (problem.row, problem.field) == (3, "date")
    assert problem.message == "'2026-11-180' is not a date like 2026-11-19"
    assert team.lead(b).stage is Stage.HANDED_OFF
    with team.store.reading() as session:
        [opportunity] = session.scalars(select(OpportunityRef)).all()
    assert (opportunity.external_id, opportunity.created_on.isoformat()) == (
        "006TIME",
        "2026-11-18",
    )


def test_excels_separator_line_names_the_delimiter_and_is_not_the_header(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    """A sheet saved with Excel's "sep=;" first line (as an import reads it) is read with
    that delimiter; the rows keep their line numbers."""
    a, b = handed_off(team, out_dir, 2)
    path = tmp_path / "feedback.csv"
    path.write_bytes(
        (
            "sep=;\r\n"
            "lead_id;decision;opportunity_id;owner;date;reason;comment;amount\r\n"
            f"{a};accepted;006SEP;Jörg Müller;2026-11-18;;Prüfung, läuft;\r\n"
            f"{b};rejected;;;;no_reason_we_know;;\r\n"
        ).encode("cp1252")
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(path)
    assert report.accepted == [a]
    [problem] = report.problems
    assert (problem.row, problem.field) == (4, "reason")
    with team.store.reading() as session:
        [opportunity] = session.scalars(select(OpportunityRef)).all()
        [comment] = [f.detail for f in session.scalars(select(SalesFeedback))]
    assert (opportunity.external_id, opportunity.owner) == ("006SEP", "Jörg Müller")
    assert comment == "Prüfung, läuft"
