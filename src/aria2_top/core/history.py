"""Speed history: the last minutes of ↓/↑ speed, for the daemon and each download.

Only downloads that have moved are kept, each in a bounded ring, and they are
forgotten when they leave the daemon, so memory stays small with 10,000 idle
downloads.
"""

from __future__ import annotations

from collections import deque

from aria2_top.core.model import Snapshot

SAMPLES = 300
"""Five minutes at the default 1 s interval."""


class SpeedHistory:
    """Rings of (down, up) samples: one per snapshot."""

    def __init__(self, samples: int = SAMPLES) -> None:
        self.samples = samples
        self.daemon: deque[tuple[int, int]] = deque(maxlen=samples)
        self._downloads: dict[str, deque[tuple[int, int]]] = {}

    def record(self, snapshot: Snapshot) -> None:
        """Add one sample from ``snapshot``."""
        self.daemon.append((snapshot.stat.down_speed or 0, snapshot.stat.up_speed or 0))
        present = set()
        for download in snapshot.downloads:
            present.add(download.gid)
            ring = self._downloads.get(download.gid)
            if ring is None:
                if not (download.down_speed or download.up_speed):
                    continue
                ring = self._downloads[download.gid] = deque(maxlen=self.samples)
            ring.append((download.down_speed or 0, download.up_speed or 0))
        for gid in self._downloads.keys() - present:
            del self._downloads[gid]

    def of(self, gid: str) -> list[tuple[int, int]]:
        """The samples of one download (empty if it never moved)."""
        return list(self._downloads.get(gid, ()))


BLOCKS = " ▁▂▃▄▅▆▇█"


def spark(values: list[int], width: int) -> str:
    """The last ``width`` values as a one-line block chart scaled to their maximum."""
    values = values[-width:]
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(BLOCKS[min(8, round(v / top * 8))] for v in values)
