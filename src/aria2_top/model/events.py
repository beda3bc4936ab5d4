"""The event log: downloads that started, finished or failed, daemons that answered
or went silent, each with the time it was seen (pure, bounded)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from aria2_top.model.downloads import RUNNING, Download, Snapshot
from aria2_top.model.masking import for_file

MAX_EVENTS = 1000
"""Events kept (the oldest go first)."""


class EventKind(StrEnum):
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CONNECTED = "connected"
    LOST = "lost"
    DELETED = "deleted"
    """A download removed with its files: which files went."""
    HOOK = "hook"
    """A hook ran (``[hooks]``): for which download, how it ended."""
    WATCH = "watch"
    """A watched folder (``watch``): a file added or invalid, a folder gone or back."""
    TURTLE = "turtle"
    """Turtle limits (T, ``[turtle]``) went on or off on a daemon, and why."""
    STREAM = "stream"
    """A streamed torrent's head window moved forward (S)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened: when (``time.time()``), what, on which daemon, and
    the download's name or the daemon's words (untrusted: shown as plain text)."""

    at: float
    kind: EventKind
    daemon: str
    text: str


class EventLog:
    """The last :data:`MAX_EVENTS` events, oldest first."""

    def __init__(self, size: int = MAX_EVENTS) -> None:
        self._events: deque[Event] = deque(maxlen=size)
        self._links: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self._events)

    def add(self, kind: EventKind, daemon: str, text: str, at: float | None = None) -> None:
        """Keep one event; its text (a name, aria2's words) as :func:`for_file` makes
        it: credentials masked, control characters escaped."""
        when = time.time() if at is None else at
        self._events.append(Event(when, kind, for_file(daemon), for_file(text)))

    def newest_first(self) -> list[Event]:
        return list(reversed(self._events))

    def link(self, daemon: str, answers: bool, why: str = "") -> None:
        """Note whether ``daemon`` answers: an event when that changes (not for the
        first word of a daemon that answers at once)."""
        before = self._links.get(daemon)
        self._links[daemon] = answers
        if before is None and answers:
            self.add(EventKind.CONNECTED, daemon, "answers")
        elif before is not None and before != answers:
            self.add(
                EventKind.CONNECTED if answers else EventKind.LOST,
                daemon,
                "answers again" if answers else why or "does not answer",
            )


def started(before: Snapshot | None, after: Snapshot) -> list[Download]:
    """Downloads running in ``after`` that were not running in ``before`` (nothing on
    the first snapshot, or after a partial one: that is state, not news)."""
    if before is None or before.partial:
        return []
    was_running = {d.gid for d in before.running if d.status in RUNNING}
    return [d for d in after.running if d.status in RUNNING and d.gid not in was_running]
