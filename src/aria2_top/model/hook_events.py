"""What a hook runs for: a download started, was paused, finished, failed, was
stopped (removed), or (a torrent) has all its data. The same events as aria2's own
``on-download-*`` hooks, worked out from two snapshots, so that they work for a
remote daemon and for several daemons at once.

An *end* (complete, error, stop, bt_complete) is a state a download stays in: it is
found in any snapshot, which lets a listener catch up on the ends it did not see
(see :mod:`aria2_top.ops.hooks`). A start or a pause is a change: seen only between
two snapshots of the same listener.
"""

from __future__ import annotations

from enum import StrEnum

from aria2_top.model.downloads import QUEUED, RUNNING, Download, Snapshot, Status


class HookKind(StrEnum):
    START = "start"
    PAUSE = "pause"
    COMPLETE = "complete"
    ERROR = "error"
    STOP = "stop"
    BT_COMPLETE = "bt_complete"

    @property
    def option(self) -> str:
        """``--on-bt-complete``: the command line's option for it."""
        return "--on-" + self.value.replace("_", "-")

    @property
    def key(self) -> str:
        """``on_bt_complete``: its key in the config file's ``[hooks]``."""
        return "on_" + self.value


ENDS = frozenset({HookKind.COMPLETE, HookKind.ERROR, HookKind.STOP, HookKind.BT_COMPLETE})


def ends_of(download: Download) -> list[HookKind]:
    """The ends ``download`` has reached (a torrent done and stopped has both
    bt_complete and complete, as aria2 runs both of its hooks)."""
    status = download.status
    if status is Status.ERROR:
        return [HookKind.ERROR]
    if status is Status.REMOVED:
        return [HookKind.STOP]
    data_here = bool(download.total) and download.completed == download.total
    if status is Status.COMPLETE:
        return (
            [HookKind.BT_COMPLETE, HookKind.COMPLETE]
            if download.is_torrent
            else [HookKind.COMPLETE]
        )
    if status is Status.SEEDING and data_here:
        return [HookKind.BT_COMPLETE]
    return []


def changes(before: Snapshot | None, after: Snapshot) -> list[tuple[HookKind, Download]]:
    """The starts and pauses between two snapshots of one daemon (none on the first:
    no news, only state)."""
    if before is None or before.partial or after.partial:
        return []
    was = {d.gid: d.status for d in before.downloads}
    found: list[tuple[HookKind, Download]] = []
    for download in after.downloads:
        old = was.get(download.gid)
        if _started(old, download.status):
            found.append((HookKind.START, download))
        elif download.status is Status.PAUSED and old is not None and old is not Status.PAUSED:
            found.append((HookKind.PAUSE, download))
    return found


def _started(old: Status | None, now: Status) -> bool:
    """Whether a download started between two snapshots: it runs now and did not, or
    it ended (finished, failed, seeds) having been queued or unseen: it ran in between,
    too briefly for a poll to see."""
    if old in RUNNING:
        return False
    if now in (Status.ACTIVE, Status.SEEDING):
        return True
    return now in (Status.COMPLETE, Status.ERROR) and (old is None or old in QUEUED)
