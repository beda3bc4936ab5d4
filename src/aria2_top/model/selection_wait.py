"""A file selection aria2 has not applied yet, and why (issue 25).

aria2 applies ``select-file`` to a running download by stopping it and starting it
again. Two waits can come between, both seen on a real aria2c 1.37:

* **stopping**: aria2 stops the download gracefully, and a torrent first tells its
  tracker (the ``stopped`` announce, up to ``bt-tracker-timeout``, 60 s by default).
  Meanwhile it shows ``active`` with no connections and its old selection. A
  ``forcePause`` cuts that short, and the restart aria2 asked for still happens.
* **no slot**: the download went back to the front of the queue, but the daemon
  already runs ``max-concurrent-downloads`` downloads (a torrent seeding with
  ``bt-detach-seed-only`` had given its slot up): it shows ``waiting`` until one
  ends. Raising ``max-concurrent-downloads`` by one starts it; put back at once, it
  stops nothing (aria2 only starts fewer).
"""

from __future__ import annotations

from enum import StrEnum


class Hold(StrEnum):
    """Why an applied selection does not show yet; the value fits the status column."""

    STOPPING = "applying"
    NO_SLOT = "no slot"


def selected_indexes(value: object) -> frozenset[int] | None:
    """The file indexes of a ``select-file`` value (``"1-3,5"``); None when it is
    unset or not aria2's form (then every file is selected)."""
    if not isinstance(value, str) or not value.strip():
        return None
    found: set[int] = set()
    for part in value.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            return None
        start = int(first)
        end = int(last) if last else start
        if end < start or end - start > 1_000_000:
            return None
        found.update(range(start, end + 1))
    return frozenset(found)


def hold_of(status: object, applied: bool, active: int | None, most: int | None) -> Hold | None:
    """Why the selection asked for a download still waits (None: it is in effect, or
    the download is gone, paused or stopped and nothing is waited for any more).
    ``status``: aria2's own (``active``, ``waiting``…); ``applied``: its options hold
    the new selection; ``active`` of ``most`` (``max-concurrent-downloads``) running.
    All from one reply: a poll a moment older would show it running still."""
    if not applied:
        return Hold.STOPPING if status == "active" else None
    if status == "waiting" and active is not None and most is not None and active >= most:
        return Hold.NO_SLOT
    return None


def hold_words(hold: Hold, active: int | None, most: int | None) -> str:
    """What the row's pane and the notice say about ``hold``."""
    if hold is Hold.NO_SLOT:
        running = "?" if active is None else active
        limit = "?" if most is None else most
        return f"the selection applies when a download slot frees: {running} running of {limit}"
    return "the selection applies once aria2 has stopped the download (it tells its tracker first)"


APPLY_NOW = "A again applies it now"
"""The offer, after the words of a hold (the Files tab's ``A`` with nothing staged)."""


def apply_now_words(hold: Hold) -> str:
    """What ``A`` again does for ``hold``."""
    if hold is Hold.NO_SLOT:
        return "starting it now: max-concurrent-downloads one higher until it runs, then back"
    return "stopping it at once (no goodbye to the tracker): aria2 then restarts it"
