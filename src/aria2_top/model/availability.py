"""Which action applies to a download in which state: one declaration, in words.

Every action the app offers on a download either works or is declined with a reason
a person reads (``cannot stream a.iso: it is complete: o opens it``), never with
aria2's own error for a call that could not have worked. Here are the declines that
follow from the download's state alone; an action may still decline for what only
the daemon or the disk can tell (no saved ``.torrent``, no file of its own on disk).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from aria2_top.model.downloads import QUEUED, STOPPED, Download, Status
from aria2_top.model.format import safe_text


class Action(Enum):
    """The actions on downloads, as the matrix in the README names them."""

    PAUSE = ("pause / resume", "p")
    REMOVE = ("remove, keep files", "F9 y")
    DELETE = ("remove, delete files", "F9 d")
    VERIFY = ("verify", "V")
    MOVE = ("move files", "M")
    STREAM = ("stream on / off", "S")
    RETRY = ("retry", "r")
    EXPORT = ("export .torrent", "E")
    COPY = ("copy", "y")
    QUEUE = ("move in the queue", "[ ] t b")
    LIMITS = ("limits", "l")
    FILES = ("file selection", "Files tab")
    ADD_AGAIN = ("add again", "7, a")

    def __init__(self, label: str, keys: str) -> None:
        self.label = label
        self.keys = keys


def ended(download: Download) -> str:
    """What a stopped download is, in words: ``it is complete``, ``it failed``…"""
    return {
        Status.COMPLETE: "it is complete",
        Status.ERROR: "it failed",
        Status.REMOVED: "it was removed",
    }.get(download.status, f"it is {download.status}")


def _pause(download: Download) -> str | None:
    if download.status in STOPPED:
        hint = ": r retries it" if download.status is Status.ERROR else ""
        return f"{ended(download)}{hint}"
    return None


def _verify(download: Download) -> str | None:
    if not download.is_torrent:
        return (
            "only a torrent can be checked again (aria2 checks other downloads only as "
            "they are added)"
        )
    return _has_metadata(download)


def _has_metadata(download: Download) -> str | None:
    if download.status is Status.METADATA:
        return "aria2 has no metadata of it yet (a magnet)"
    if download.status is Status.CHECKING:
        return "aria2 is checking it now"
    return None


def _move(download: Download) -> str | None:
    if download.status not in (Status.COMPLETE, Status.SEEDING):
        return "only finished downloads move (their files are complete)"
    return None


def _stream(download: Download) -> str | None:
    if download.status in (Status.COMPLETE, Status.SEEDING):
        return "it is complete: o opens it"
    if download.status in STOPPED:
        return f"{ended(download)}: nothing downloads"
    return _has_metadata(download)


def _retry(download: Download) -> str | None:
    return None if download.status is Status.ERROR else "only failed downloads can be retried"


def _export(download: Download) -> str | None:
    if not download.is_torrent:
        return "only a torrent has a .torrent to export"
    if download.status is Status.METADATA:
        return "aria2 has no metadata of it yet (a magnet)"
    return None


def _queue(download: Download) -> str | None:
    return None if download.status in QUEUED else "only queued downloads move"


def _limits(download: Download) -> str | None:
    if download.status in STOPPED:
        return "aria2 keeps no limits for a stopped download"
    return None


def _files(download: Download) -> str | None:
    if download.status in STOPPED:
        return "aria2 takes no new file selection for a stopped download"
    return _has_metadata(download)


def _add_again(download: Download) -> str | None:
    if download.status not in STOPPED:
        return "it is still in aria2: nothing to add again"
    return None


RULES: dict[Action, Callable[[Download], str | None]] = {
    Action.PAUSE: _pause,
    Action.VERIFY: _verify,
    Action.MOVE: _move,
    Action.STREAM: _stream,
    Action.RETRY: _retry,
    Action.EXPORT: _export,
    Action.QUEUE: _queue,
    Action.LIMITS: _limits,
    Action.FILES: _files,
    Action.ADD_AGAIN: _add_again,
}
"""The actions that depend on the state (remove, delete and copy apply to every
download; delete then looks at the disk)."""

VERBS = {
    Action.PAUSE: "pause or resume",
    Action.VERIFY: "verify",
    Action.MOVE: "move the files of",
    Action.STREAM: "stream",
    Action.RETRY: "retry",
    Action.EXPORT: "export the .torrent of",
    Action.QUEUE: "move",
    Action.LIMITS: "set the limits of",
    Action.FILES: "change the files of",
    Action.ADD_AGAIN: "add again",
}


def reason(action: Action, download: Download) -> str | None:
    """Why ``action`` does not apply to ``download`` (the short words), or None."""
    rule = RULES.get(action)
    return rule(download) if rule else None


def refusal(action: Action, download: Download) -> str | None:
    """The whole sentence declining ``action`` on ``download``, or None when it
    applies: ``cannot stream a.iso: it is complete: o opens it``."""
    why = reason(action, download)
    if why is None:
        return None
    return f"cannot {VERBS[action]} {safe_text(download.name)[:60]}: {why}"
