"""A download the app added again is the same download: its story (pure).

aria2 checks a torrent's data, or points it at another folder, only as it is added:
``V``, ``M`` of a seeding torrent and ``r`` remove a download and add it again, and
aria2 gives the new one a new GID, an upload count of 0 and, once checked, a second
"finished". :class:`Lineage` keeps, for as long as the app runs, which new GID is
which old one re-added, so that:

- a re-add of a finished download arriving at finished again is no news (unless it
  was seen downloading in between: a check that found bad pieces fetched them again);
- the history's record follows it to the new GID (see ``storage/history_file.py``);
- the upload count goes on from what the old GID had uploaded (:func:`carried`).

aria2 also hides a paused download's upload count (it reports 0 until resumed, as
measured on aria2 1.37): :func:`carried` keeps the last count seen meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from aria2_top.model import format as fmt
from aria2_top.model.downloads import QUEUED, Download, DownloadKey, Status

FINISHED = frozenset({Status.COMPLETE, Status.SEEDING})


@dataclass(slots=True)
class ReAdd:
    """A download the app added again: which GID it was, whether it was finished."""

    old_gid: str
    finished: bool
    downloading_again: bool = False
    """Seen downloading since it was added again (a check found bad pieces): its
    next finish is news."""


class Lineage:
    """New GID -> the download it re-adds, per daemon (see the module docstring)."""

    def __init__(self) -> None:
        self._readds: dict[DownloadKey, ReAdd] = {}

    def __len__(self) -> int:
        return len(self._readds)

    def follow(self, old: Download, new_gid: str) -> None:
        """``old`` was added again as ``new_gid`` (on the same daemon)."""
        before = self._readds.pop(old.key, None)
        finished = old.status in FINISHED or (
            before is not None and before.finished and not before.downloading_again
        )
        self._readds[DownloadKey(old.daemon, new_gid)] = ReAdd(old.gid, finished)

    def of(self, key: DownloadKey) -> ReAdd | None:
        return self._readds.get(key)

    def saw(self, download: Download) -> None:
        """Note a state of a re-added download (the poller's each new one)."""
        readd = self._readds.get(download.key)
        if readd is not None and download.status is Status.ACTIVE and download.down_speed:
            readd.downloading_again = True

    def refinished(self, key: DownloadKey) -> bool:
        """Whether ``key`` is a finished download added again that has not downloaded
        anything since: its arriving at finished is not news, and not a new end."""
        readd = self._readds.get(key)
        return readd is not None and readd.finished and not readd.downloading_again


def is_news(download: Download, before: Download | None, lineage: Lineage) -> bool:
    """Whether ``download`` finishing (as :func:`finished_or_failed` found it) is news:
    not when it is a finished download the app added again (:meth:`Lineage.refinished`),
    nor a finished torrent resumed (``before``: it as the last snapshot had it)."""
    if lineage.refinished(download.key):
        return False
    return not (before is not None and before.status in QUEUED and is_complete(before))


def is_complete(download: Download) -> bool:
    """All of it is here (a paused seeding torrent)."""
    total, done = download.total, download.completed
    return bool(total) and done is not None and total is not None and done >= total


def news(
    finished: Sequence[Download], before: Mapping[str, Download], lineage: Lineage
) -> list[Download]:
    """The downloads of ``finished`` whose finishing is news (``before``: the last
    snapshot's downloads by GID)."""
    return [d for d in finished if is_news(d, before.get(d.gid), lineage)]


def carried(download: Download, earlier: int, last_seen: int | None) -> Download:
    """``download`` with the uploads of its earlier GIDs (``earlier`` bytes) added to
    aria2's count, and, while it is paused (aria2 then says 0), the count
    ``last_seen`` kept; the very same object when neither changes it."""
    uploaded = download.uploaded
    if uploaded is None:
        return download
    total = earlier + uploaded
    if download.status is Status.PAUSED and last_seen is not None:
        total = max(total, last_seen)
    return download if total == uploaded else replace(download, uploaded=total)


def upload_words(uploaded: int | None, size: int | None) -> str:
    """A history record's upload total and ratio, ``↑ 413.0K, ratio 0.48`` (empty
    when it uploaded nothing)."""
    if not uploaded:
        return ""
    ratio = f", ratio {fmt.ratio(uploaded / size)}" if size else ""
    return f"↑ {fmt.size(uploaded)}{ratio}"


UPLOAD_STEP = 1 << 20
"""Bytes more uploaded before the history writes a seeding torrent's total again (and
at least a sixteenth more): a thousand torrents seeding do not rewrite the file at
every poll."""


def upload_to_record(recorded: int | None, seen: int | None, changed: bool) -> int | None:
    """The upload total a history record keeps: ``seen`` when the record ``changed``
    anyway or the total grew by a step since ``recorded``, else ``recorded``."""
    if not seen:
        return recorded
    if changed or recorded is None:
        return seen
    return seen if seen >= recorded + max(UPLOAD_STEP, recorded // 16) else recorded
