"""Batch progress: a live bar on a terminal, one plain line a page in logs, nothing when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from pipeline.runner import PageResult


class Progress:
    PASSES = {
        "read": "pass 1/2: preprocess, ocr, repair",
        "correct": "pass 2/2: correct, with the words the batch repeats",
    }

    def __init__(self, total: int, quiet: bool = False, stream: TextIO | None = None):
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done = self.failed = self.skipped = 0
        self.start = time.monotonic()
        self.phase = ""

    def _new_phase(self, phase: str) -> None:
        if self.phase:  # pages that failed in the last pass do not come back
            self.total -= self.failed
        self.phase = phase
        self.done = self.failed = self.skipped = 0
        self.start = time.monotonic()
        if not self.quiet and phase in self.PASSES:
            print(self.PASSES[phase], file=self.stream)

    def __call__(self, r: PageResult, phase: str = "run") -> None:
        if phase != self.phase:
            self._new_phase(phase)
        if r.status == "failed":
            self.failed += 1
        elif not r.ran:
            self.skipped += 1
        else:
            self.done += 1
        if r.status == "failed":
            self._clear_line()
            print(f"FAILED {r.error}", file=self.stream)  # failures are shown even when quiet
        if self.quiet:
            return
        if self.tty:
            self._bar()
        else:
            ran = ", ".join(f"{s} {v:.1f}s" for s, v in r.seconds.items()) or (
                "all stages up to date" if r.status == "done" else "no stage ran"
            )
            print(f"[{self.count}/{self.total}] {r.name}: {r.status} ({ran})", file=self.stream)

    @property
    def count(self) -> int:
        return self.done + self.failed + self.skipped

    def _bar(self) -> None:
        n = self.count
        width = 30
        filled = int(width * n / max(self.total, 1))
        elapsed = time.monotonic() - self.start
        eta = elapsed / n * (self.total - n) if n else 0.0
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{self.total}  "
            f"done {self.done}  failed {self.failed}  skipped {self.skipped}  "
            f"ETA {int(eta // 60)}:{int(eta % 60):02d}"
        )
        self.stream.write(line)
        if n == self.total:
            self.stream.write("\n")
        self.stream.flush()

    def _clear_line(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\r\033[K")
