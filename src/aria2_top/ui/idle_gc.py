"""Full garbage collections when the user is not typing.

With 10,000 downloads the process holds a few hundred thousand objects, and
Python's full (generation 2) collection walks them all: 25 to 120 ms, started
whenever enough objects survived, often in the middle of a key press. Here the
automatic full collections are turned off and run instead when no key came for a
while (at most every :data:`EVERY` seconds), so a key never waits for one. The
young generations are still collected as usual (they are small and quick).
"""

from __future__ import annotations

import gc
import time

QUIET = 2.0
"""Seconds without a key before a full collection may run."""
EVERY = 30.0
"""Seconds between two full collections at least. When keys never stop coming for
four times that, one runs anyway, between two keys."""
NEVER = 1_000_000
"""Generation 2's threshold that the process never reaches."""


class IdleCollector:
    """Runs Python's full garbage collection between keys instead of during them."""

    def __init__(self, *, quiet: float = QUIET, every: float = EVERY) -> None:
        self.quiet = quiet
        self.every = every
        self._last_key = 0.0
        self._last_collect = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None
        self.collections = 0
        self.last_seconds = 0.0
        """How long the last full collection took."""

    def start(self) -> None:
        """Turn off the automatic full collections (the young ones stay)."""
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        """Give the automatic collections back."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def key_pressed(self) -> None:
        self._last_key = time.monotonic()

    def quiet_now(self) -> bool:
        """Whether no key came for :attr:`quiet` seconds (a moment for work that
        would hold a key up)."""
        return time.monotonic() - self._last_key >= self.quiet

    def due(self, now: float) -> bool:
        """Whether a full collection should run now: it is time, and either no key came
        for :attr:`quiet` seconds or none came for long enough to be overdue."""
        if now - self._last_collect < self.every:
            return False
        return now - self._last_key >= self.quiet or now - self._last_collect >= 4 * self.every

    def maybe_collect(self) -> bool:
        """Collect if :meth:`due`; whether it did."""
        now = time.monotonic()
        if not self.due(now):
            return False
        started = time.perf_counter()
        gc.collect()
        self.last_seconds = time.perf_counter() - started
        self._last_collect = time.monotonic()
        self.collections += 1
        return True
