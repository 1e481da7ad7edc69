"""How the command says a refusal: the input at fault as the user typed it.

The core names the input an ``InputError`` is about by its own name (``field="callback"``);
here it becomes the command's flag (``--callback: the agreed time has already passed``) or a
positional argument's metavar (``LEAD_ID: …``), found in the command's parser. Where a flag
is not ``--`` + the field's name and the parser cannot tell, ``FLAGS`` says it
(docs/architecture.md §7).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from leaddesk.errors import InputError, LeadDeskError

# The core's field -> the flag that gives it, where no parser's argument is named after it.
FLAGS = {
    "password": "--password-file",  # a new password is read from a file (or typed at a prompt)
    "keep_mine": "--share",  # the import keeps the rep's leads unless --share
}


def said(error: LeadDeskError, parsers: Sequence[argparse.ArgumentParser] = ()) -> str:
    """The one line the command prints for ``error`` (after "leaddesk: ")."""
    field = error.field if isinstance(error, InputError) else None
    if field is None:
        return error.message
    flag = flag_for(field, parsers)
    if parsers and flag is None:
        # Input this command does not take (a sync run refused with the client id that
        # `sync setup` stored): no option of its own to name; the message says where to look.
        return error.message
    return f"{flag or '--' + field.replace('_', '-')}: {error.message}"


def flag_for(field: str, parsers: Sequence[argparse.ArgumentParser] = ()) -> str | None:
    """``field`` as the command line spells it: the innermost parser's argument of that name
    (its long flag, or a positional's metavar), else ``FLAGS``; None when neither knows it."""
    dest = field.replace(" ", "_").replace("-", "_")
    for parser in reversed(parsers):
        for action in parser._actions:
            if action.dest != dest or isinstance(action, argparse._HelpAction):
                continue
            if not action.option_strings:
                metavar = action.metavar if isinstance(action.metavar, str) else None
                return metavar or action.dest
            return max(action.option_strings, key=len)
    return FLAGS.get(dest)
