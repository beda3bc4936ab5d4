"""Speed history: the last minutes of ↓/↑ speed, for the daemon and each download.

Only downloads that have moved are kept, each in a bounded ring, and they are
forgotten when they leave the daemon, so memory stays small with 10,000 idle
downloads.
"""

from __future__ import annotations

from collections import deque

from aria2_top.model.downloads import Download, DownloadKey, Snapshot

SAMPLES = 300
"""Five minutes at the default 1 s interval."""


class SpeedHistory:
    """Rings of (down, up) samples of one daemon: one per snapshot."""

    def __init__(self, samples: int = SAMPLES) -> None:
        self.samples = samples
        self.daemon: deque[tuple[int, int]] = deque(maxlen=samples)
        self._downloads: dict[DownloadKey, deque[tuple[int, int]]] = {}
        self._listed: tuple[Download, ...] = ()
        self._listed_key_set: frozenset[DownloadKey] = frozenset()

    def record(self, snapshot: Snapshot) -> None:
        """Add one sample from ``snapshot``."""
        self.daemon.append((snapshot.stat.down_speed or 0, snapshot.stat.up_speed or 0))
        present = set()
        for download in snapshot.running:
            present.add(download.key)
            ring = self._downloads.get(download.key)
            if ring is None:
                if not (download.down_speed or download.up_speed):
                    continue
                ring = self._downloads[download.key] = deque(maxlen=self.samples)
            ring.append((download.down_speed or 0, download.up_speed or 0))
        # The waiting and stopped downloads do not move: a zero for those that have
        # a ring, and the rings of downloads that left are dropped.
        listed = self._listed_keys(snapshot.listed)
        for key in self._downloads.keys() - present:
            if key in listed:
                self._downloads[key].append((0, 0))
            else:
                del self._downloads[key]

    def _listed_keys(self, listed: tuple[Download, ...]) -> frozenset[DownloadKey]:
        """The keys of a snapshot's waiting and stopped lists, worked out once per
        fetch of them (the poller hands the same tuple until then)."""
        if listed is not self._listed:
            self._listed = listed
            self._listed_key_set = frozenset(d.key for d in listed)
        return self._listed_key_set

    def of(self, key: DownloadKey) -> list[tuple[int, int]]:
        """The samples of one download (empty if it never moved)."""
        return list(self._downloads.get(key, ()))


def combined(histories: list[deque[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Several daemons' samples added up, aligned on the newest (a daemon that joined
    later adds nothing to the older samples)."""
    if len(histories) == 1:
        return list(histories[0])
    longest = max((len(h) for h in histories), default=0)
    down, up = [0] * longest, [0] * longest
    for history in histories:
        start = longest - len(history)
        for index, (d, u) in enumerate(history, start):
            down[index] += d
            up[index] += u
    return list(zip(down, up, strict=True))


BLOCKS = " ▁▂▃▄▅▆▇█"


def spark(values: list[int], width: int) -> str:
    """The last ``width`` values as a one-line block chart scaled to their maximum."""
    values = values[-width:]
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(BLOCKS[min(8, round(v / top * 8))] for v in values)
