"""No two rooms of the core import each other, directly or through others (docs/architecture.md §3).

A room is a top-level part of ``leaddesk`` (``intake``, ``privacy``, ``store``...). When two
rooms need each other, one of them holds something that belongs lower down: move it there.
The layers contract in pyproject.toml says which way the rooms point; this test names the
modules of any loop, which import-linter alone does not.
"""

from __future__ import annotations

import itertools

import grimp
import pytest

# A loop that must stay for a while is listed here with why; the test fails when a new loop
# appears, and when a listed one is gone, so this list only shrinks. None is left.
KNOWN_LOOPS: dict[frozenset[str], str] = {}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # No cache: a stale one has hidden moved modules.
    return grimp.build_graph("leaddesk", cache_dir=None)


def rooms(graph: grimp.ImportGraph) -> list[str]:
    return sorted(name for name in graph.find_children("leaddesk") if name != "leaddesk.__main__")


def chain(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    found = graph.find_shortest_chain(importer=importer, imported=imported, as_packages=True)
    return " -> ".join(found or ())


def loops(graph: grimp.ImportGraph) -> dict[frozenset[str], str]:
    """Every pair of rooms that import each other, with one chain each way."""
    found: dict[frozenset[str], str] = {}
    for one, other in itertools.combinations(rooms(graph), 2):
        there = chain(graph, one, other)
        back = chain(graph, other, one)
        if there and back:
            pair = frozenset(name.removeprefix("leaddesk.") for name in (one, other))
            found[pair] = f"{there}\n    and back: {back}"
    return found


def test_no_two_rooms_of_the_core_import_each_other(graph: grimp.ImportGraph) -> None:
    new = {pair: how for pair, how in loops(graph).items() if pair not in KNOWN_LOOPS}
    assert not new, "import loops between rooms of the core; move what one needs lower:\n" + (
        "\n".join(f"  {' <-> '.join(sorted(pair))}: {how}" for pair, how in new.items())
    )


def test_a_known_loop_that_is_gone_leaves_the_list(graph: grimp.ImportGraph) -> None:
    gone = sorted(" <-> ".join(sorted(pair)) for pair in KNOWN_LOOPS if pair not in loops(graph))
    assert not gone, f"no longer loops; take them out of KNOWN_LOOPS: {', '.join(gone)}"


def test_a_loop_is_named_by_the_modules_that_make_it() -> None:
    # A made-up pair of rooms, so the message a developer gets is checked, not just its absence.
    made_up = grimp.ImportGraph()
    for module in ("leaddesk", "leaddesk.a", "leaddesk.a.x", "leaddesk.b", "leaddesk.b.y"):
        made_up.add_module(module)
    made_up.add_import(importer="leaddesk.a.x", imported="leaddesk.b.y")
    made_up.add_import(importer="leaddesk.b.y", imported="leaddesk.a")
    named = "leaddesk.a.x -> leaddesk.b.y\n    and back: leaddesk.b.y -> leaddesk.a"
    assert loops(made_up) == {frozenset({"a", "b"}): named}


def test_the_do_not_call_list_and_contacts_import_nothing_of_intake(
    graph: grimp.ImportGraph,
) -> None:
    # Intake uses the list and the shared clean-up; they never reach back into intake.
    for room in ("leaddesk.privacy", "leaddesk.contacts", "leaddesk.store"):
        assert not chain(graph, room, "leaddesk.intake"), chain(graph, room, "leaddesk.intake")
