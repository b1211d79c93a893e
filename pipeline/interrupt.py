"""Ctrl-C stops a batch at once, however often it is pressed.

A `KeyboardInterrupt` is not enough: raised inside a finaliser (the process pool's own
clean-up runs them) it is swallowed, and a second one raised while the first is handled
leaves the pool's threads and workers waiting on each other for ever. So during a batch
SIGINT runs `stop`: ignore further Ctrl-C, kill the workers and wait for them (nothing
writes into OUTPUT after that), remove their half-written temporaries, say so, exit 130.
Every finished stage is on disk with its manifest entry; the same command resumes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.fileio import remove_temporaries

MESSAGE = "\ninterrupted: finished stages are kept; run the same command to resume\n"


@contextmanager
def stop_on_ctrl_c(output: Path) -> Iterator[None]:
    """Within this block, Ctrl-C ends the process cleanly (exit 130) instead of raising."""

    def stop(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        workers = multiprocessing.active_children()
        for p in workers:
            p.kill()
        for p in workers:
            p.join(10)
        remove_temporaries(output)
        sys.stdout.flush()
        sys.stderr.write(MESSAGE)
        sys.stderr.flush()
        os._exit(130)

    try:
        previous = signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread: leave Ctrl-C as it is
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
