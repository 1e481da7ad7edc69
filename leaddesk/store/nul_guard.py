"""No NUL character reaches the store. PostgreSQL text cannot hold one, so LeadDesk refuses
it on SQLite too, naming the field, rather than keep on one database what the other refuses
with an error. Checked where every statement leaves for the database, so no path is missed:
writes, searches and look-ups alike."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, event

from leaddesk.errors import InputError

NUL = "\x00"
_NUMBERED = re.compile(r"(_\d+)+$")  # SQLAlchemy's parameter names: first_name_1, param_2


def holds_nul(value: Any) -> bool:
    """True if ``value`` or any text inside it (JSON-like lists and dicts) has a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, Mapping):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


def nul_refused(words: str, *, field: str | None = None) -> InputError:
    """``words`` say the input ("first name", "a text"), ``field`` names it for the front ends."""
    subject = words if words.startswith(("a ", "an ")) else f"the {words}"
    return InputError(
        f"{subject} contains a NUL character (\\0), which LeadDesk cannot store or search "
        "for; remove it and try again",
        field=field,
    )


def field_words(name: str) -> str:
    """'first_name_1' -> 'first name'; a bare parameter says only 'a text'."""
    words = _NUMBERED.sub("", name).replace("_", " ").strip()
    return "a text" if words in ("", "param", "lower", "upper") else words


def _parameter_names(context: Any) -> Sequence[str]:
    compiled = getattr(context, "compiled", None)
    return list(getattr(compiled, "positiontup", None) or ())


def _first_nul(parameters: Any, context: Any) -> str | None:
    """The name of the first parameter holding a NUL, or None."""
    sets = parameters if isinstance(parameters, list) else [parameters]
    if len(sets) > 1 and not _any_nul(sets):
        return None
    for values in sets:
        if isinstance(values, Mapping):
            for key, value in values.items():
                if isinstance(value, str) and NUL in value:
                    return str(key)
        elif isinstance(values, Sequence) and not isinstance(values, str | bytes):
            names = _parameter_names(context)
            for index, value in enumerate(values):
                if isinstance(value, str) and NUL in value:
                    return names[index] if index < len(names) else ""
    return None


def _any_nul(sets: list[Any]) -> bool:
    """Whether any text among many rows' parameters holds a NUL: one pass over the texts at
    C speed (an import's chunk sends a hundred thousand values at once); only then are they
    looked at one by one for the name."""
    texts: list[str] = []
    for values in sets:
        if type(values) is tuple:  # the usual row, checked first: ABC checks cost more
            texts += [value for value in values if isinstance(value, str)]
            continue
        if isinstance(values, Mapping):
            values = values.values()
        elif not isinstance(values, Sequence) or isinstance(values, str | bytes):
            return True  # not a row of values: looked at one by one
        texts += [value for value in values if isinstance(value, str)]
    return NUL in "".join(texts)


def guard(engine: Engine) -> None:
    """Refuse (InputError, exit 2) any statement sending a text with a NUL in it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_nul(
        _connection: Any,
        _cursor: Any,
        _statement: str,
        parameters: Any,
        context: Any,
        _executemany: bool,
    ) -> None:
        name = _first_nul(parameters, context)
        if name is not None:
            raise nul_refused(field_words(name))
