"""A time limit for work done in this process (the repair and correct stages): a page whose
cost explodes fails alone with a reason instead of holding a worker for hours."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.errors import PageError


class StageTimeout(PageError):
    """The stage ran past its time limit and was stopped."""


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise StageTimeout(message) in the block once `seconds` have passed.

    Uses SIGALRM, so it applies only in a process's main thread (a pool worker, or the main
    process with -j 1); elsewhere (Dask worker threads) the block runs unlimited.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise StageTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
