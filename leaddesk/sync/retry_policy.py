"""The one back-off every CRM connector uses (tenacity): timeouts, rate limits (after the
wait the CRM asked for) and server errors are tried again, 1, 2, 4, 8 s apart; past that
the CRM counts as unreachable and the hand-offs wait for the next run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from leaddesk.sync.connector import CrmUnreachable

T = TypeVar("T")
ATTEMPTS = 5
LONGEST_WAIT = 60.0


class TryAgain(Exception):
    """A passing fault: the same call may go again, after ``retry_after`` seconds if given."""

    def __init__(self, words: str, retry_after: float | None = None) -> None:
        super().__init__(words)
        self.retry_after = retry_after


def back_off(state: RetryCallState) -> float:
    """The CRM's own wait (Retry-After) when it gave one, else 1, 2, 4, 8 s."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, TryAgain) and error.retry_after is not None:
        return min(error.retry_after, LONGEST_WAIT)
    return float(min(2 ** (state.attempt_number - 1), LONGEST_WAIT))


def retried(once: Callable[[], T], sleep: Callable[[float], None] | None = None) -> T:
    """``once()`` until it stops raising ``TryAgain``; ``CrmUnreachable`` after the last try."""
    retrying = Retrying(
        retry=retry_if_exception_type(TryAgain),
        stop=stop_after_attempt(ATTEMPTS),
        wait=back_off,
        reraise=True,
        sleep=sleep or time.sleep,
    )
    try:
        return retrying(once)
    except TryAgain as error:
        raise CrmUnreachable(str(error)) from error
