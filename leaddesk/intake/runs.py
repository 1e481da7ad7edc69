"""Import runs: their states, and the id ranges a run records of what each chunk created."""

from __future__ import annotations

from collections.abc import Iterable


class RunStatus:
    RUNNING = "running"  # being written, or interrupted (killed): resumable
    CANCELLED = "cancelled"  # the user stopped it: resumable
    FINISHED = "finished"
    UNDONE = "undone"
    # Not stored: what an import of a file already imported reports when nothing is new.
    ALREADY_IMPORTED = "already_imported"
    RESUMABLE = (RUNNING, CANCELLED)


# The file name of a run that is one lead typed in by hand (File ▸ New lead…, add-lead).
BY_HAND = "entered by hand"


def ranges(ids: Iterable[int]) -> list[list[int]]:
    """[3, 4, 5, 9] -> [[3, 5], [9, 9]]: a chunk's new ids are nearly always one range."""
    found: list[list[int]] = []
    for value in sorted(ids):
        if found and found[-1][1] + 1 == value:
            found[-1][1] = value
        else:
            found.append([value, value])
    return found


def expand(held: object) -> list[int]:
    """The ids of ``ranges`` as read back from JSON; anything malformed is ignored."""
    if not isinstance(held, list):
        return []
    ids: list[int] = []
    for pair in held:
        if isinstance(pair, list) and len(pair) == 2:
            ids.extend(range(int(pair[0]), int(pair[1]) + 1))
    return ids
