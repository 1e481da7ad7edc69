"""Every key the workspace answers to, in one table: the actions bind from it and the
shortcut sheet (``?``) is printed from it, so the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from leaddesk.domain import CallOutcome


@dataclass(frozen=True)
class Key:
    keys: tuple[str, ...]  # QKeySequence strings; the first is shown on buttons
    what: str
    group: str

    @property
    def label(self) -> str:
        return self.keys[0]

    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(key) for key in self.keys]


CYCLE = "Call cycle"
VERDICT = "Questionnaire and verdict"
FIND = "Finding leads"
HELP = "Help"
VIEW = "Reading"

NEXT = Key(("N",), "Next lead: take the top of your queue", CYCLE)
CALL = Key(("C",), "Call the number (your softphone dials); Return works too", CYCLE)
TAKE = Key(("Return",), "In the queue or search results: work the selected lead", CYCLE)
HANG_UP = Key(("H",), "The call is over: stop the timer (the verdict stops it too)", CYCLE)
CALLBACK = Key(("B",), "Book a callback", CYCLE)
SKIP = Key(("S",), "Skip for now: the selected lead waits behind the next 5, no call logged", CYCLE)
RELEASE = Key(("Esc",), "Put the lead back in the queue / cancel", CYCLE)
UNDO_OUTCOME = Key(("Ctrl+Z",), "Undo the outcome or verdict just given (the wrong key)", CYCLE)
CONTACT = Key(("F2",), "Correct the person's name, title, email or phone", CYCLE)
COPY_NUMBER = Key(("Ctrl+Shift+C",), "Copy the phone number", CYCLE)
NOTES = Key(("Ctrl+M",), "Write in the notes (saved as you type)", CYCLE)
CONFIRM = Key(("Ctrl+Return", "Ctrl+Enter"), "Confirm the suggested verdict", VERDICT)
OVERRIDE = Key(("O",), "Override the suggestion (needs a reason)", VERDICT)
MEETING = Key(
    ("Ctrl+B",), "Book the salesperson's meeting: their free slots, in both times", VERDICT
)
QUESTIONS = Key(("Tab", "Shift+Tab"), "Move between questions; arrows pick, Space ticks", VERDICT)
SEARCH = Key(("/", "Ctrl+F"), "Search by name, company, email or phone", FIND)
QUEUE = Key(("Ctrl+1",), "Go to the queue", FIND)
REFRESH = Key(("F5",), "Read the queue again now (it does so every minute)", FIND)
GLOSSARY = Key(("F1",), "Lead definition: stages and lead types", HELP)
SHEET = Key(("?",), "This shortcut sheet", HELP)
SUMMARY = Key(("Ctrl+Shift+E",), "My day so far (end-of-day summary)", HELP)
NEW_LEAD = Key(("Ctrl+N",), "New lead by hand: someone called in, a referral", HELP)
LARGER_TEXT = Key(("Ctrl++", "Ctrl+="), "Larger text (View ▸ Text size)", VIEW)
SMALLER_TEXT = Key(("Ctrl+-",), "Smaller text", VIEW)
NORMAL_TEXT = Key(("Ctrl+0",), "Text at its normal size", VIEW)
IMPORT = Key(("Ctrl+I",), "Import leads from a file (or drop the file on the window)", HELP)
EXPORT = Key(("Ctrl+E",), "End of day: hand your qualified leads to sales", HELP)
MY_HANDOFFS = Key(("Ctrl+Shift+H",), "My hand-offs: what sales answered on your leads", HELP)

# The call outcomes, one key each, in the order a rep needs them most.
OUTCOME_KEYS: tuple[tuple[CallOutcome, str, str], ...] = (
    (CallOutcome.CONNECTED, "1", "Connected"),
    (CallOutcome.NO_ANSWER, "2", "No answer"),
    (CallOutcome.VOICEMAIL, "3", "Voicemail"),
    (CallOutcome.BUSY, "4", "Busy"),
    (CallOutcome.GATEKEEPER, "5", "Gatekeeper"),
    (CallOutcome.CALLBACK, "6", "Callback…"),
    (CallOutcome.NOT_INTERESTED, "7", "Not interested"),
    (CallOutcome.WRONG_NUMBER, "8", "Wrong number"),
    (CallOutcome.BAD_NUMBER, "9", "Bad number"),
    (CallOutcome.DO_NOT_CALL, "0", "Do not call…"),
)


def outcome_key(outcome: CallOutcome) -> str:
    return next(key for known, key, _ in OUTCOME_KEYS if known is outcome)


def sheet() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(keys, what)]) for the shortcut sheet, in reading order."""
    keys = [
        NEXT,
        CALL,
        TAKE,
        HANG_UP,
        CALLBACK,
        SKIP,
        RELEASE,
        UNDO_OUTCOME,
        CONTACT,
        COPY_NUMBER,
        NOTES,
    ]
    rows: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        rows.setdefault(key.group, []).append((" or ".join(key.keys[:2]), key.what))
    rows[CYCLE].insert(
        3, ("1 … 0", "Log the outcome: " + ", ".join(f"{k} {w}" for _, k, w in OUTCOME_KEYS))
    )
    later = (
        *(CONFIRM, OVERRIDE, QUESTIONS, SEARCH, QUEUE, REFRESH, GLOSSARY, SHEET, SUMMARY, EXPORT),
        MY_HANDOFFS,
    )
    for key in later:
        rows.setdefault(key.group, []).append((" or ".join(key.keys[:2]), key.what))
    rows[IMPORT.group].append((IMPORT.label, IMPORT.what))
    rows[NEW_LEAD.group].append((NEW_LEAD.label, NEW_LEAD.what))
    for key in (LARGER_TEXT, SMALLER_TEXT, NORMAL_TEXT):
        rows.setdefault(key.group, []).append((key.label, key.what))
    return list(rows.items())
