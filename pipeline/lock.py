"""One writer per OUTPUT, and workers that never outlive the run that started them.

Two runs on one OUTPUT would delete each other's temporary files and redo each other's pages.
An `flock` on `OUTPUT/.ocr-pipeline.lock` keeps the second one out; the kernel releases it when
its holder dies, so even a `kill -9` never blocks the next run (a stale lock file is harmless:
only the lock on it counts). Workers hold it too (they inherit the open file), and they die with
their parent (`die_with_parent`), so a killed run's workers cannot keep writing beside the next.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
from pathlib import Path

LOCK_NAME = ".ocr-pipeline.lock"
PR_SET_PDEATHSIG = 1


class OutputBusy(Exception):
    """Another run holds OUTPUT."""


_held: dict[Path, int] = {}  # OUTPUT -> the descriptor holding its lock, for this process


def lock_output(output: Path) -> None:
    """Take OUTPUT for this process until it exits; raise OutputBusy when another run has it."""
    output = Path(output).resolve()
    if output in _held:
        return
    path = output / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
        os.close(fd)
        who = f" (process {holder})" if holder.isdigit() else ""
        raise OutputBusy(
            f"{output}: another ocr-pipeline run is writing to this folder{who}; "
            "wait for it to finish, or stop it, then run again"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _held[output] = fd


def held() -> list[Path]:
    """The OUTPUT folders this process holds the lock of."""
    return sorted(_held)


def unlock_output(output: Path) -> None:
    fd = _held.pop(Path(output).resolve(), None)
    if fd is not None:
        os.close(fd)


def die_with_parent(parent: int) -> None:
    """Pool initializer: this worker ends when its parent dies, even by `kill -9` (Linux;
    elsewhere a no-op), and takes its Tesseract with it. It also stops at Ctrl-C without a
    traceback: the parent stops the batch and removes what was half written."""
    signal.signal(signal.SIGINT, _exit_interrupted)
    if not sys.platform.startswith("linux"):
        return
    signal.signal(signal.SIGTERM, _exit_with_children)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _exit_interrupted(_signum: int, _frame: object) -> None:
    os._exit(130)


def _exit_with_children(_signum: int, _frame: object) -> None:
    """SIGTERM (the parent died, or the pool is torn down): kill this worker's own child
    processes (Tesseract, which would otherwise run on to its timeout), then exit."""
    for task in Path("/proc/self/task").glob("*/children"):
        try:
            pids = task.read_text().split()
        except OSError:
            continue
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
    os._exit(1)
