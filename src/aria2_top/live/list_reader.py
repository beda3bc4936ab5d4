"""The waiting and stopped lists: when to look at them, and reading them.

They are looked at only when something says they changed (a notification, an action:
:meth:`ListReader.wake`, counts that moved, a running download that left) or at the
resync, which catches what aria2 never announces: first each one's GID and status (a
probe), then the full rows of those that changed. Between looks the poller hands on
the same tuple of downloads. Probes keep within a share of aria2's time, so that a
flood of notifications or 100,000 downloads cost a bounded part of it. Each list is
read no further than the count aria2 reported and a page more (at most
:data:`~aria2_top.live.listing.MAX_DOWNLOADS`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from enum import Enum
from typing import Any

from aria2_top.live.download_cache import DownloadCache
from aria2_top.live.listing import MAX_DOWNLOADS, PAGE_SIZE, page_bound
from aria2_top.live.replies import downloads_of, fail_on_refusal
from aria2_top.model import fields
from aria2_top.model.downloads import Download
from aria2_top.model.fields import Struct
from aria2_top.rpc.client import Aria2Client, RpcCall

RESYNC_SHARE = 0.02
"""The periodic resync takes at most this share of aria2's time: it comes every
``resync`` seconds, or less often when a probe takes aria2 longer than
``resync × RESYNC_SHARE`` (0.2 s at the default 10 s: past about 30,000 downloads)."""
WAKE_SHARE = 0.1
"""Probes asked for by notifications, actions and moved counts take at most this
share of aria2's time, however many come (at 10,000 downloads: one every 0.6 s)."""
PROBE_KEYS = ("gid", "status")
"""What a resync asks of each waiting and stopped download first."""
PROBE_SLACK = 0.01
"""Seconds a probe's measure may grow by beyond twice the last (see note_probe)."""

Shape = tuple[tuple[tuple[object, object], ...], tuple[tuple[object, object], ...]]
Rows = tuple[list[Struct], list[Struct]]
"""The waiting and the stopped downloads, as aria2 sent them."""


class Lists(Enum):
    """What one tick asks of the waiting and stopped lists."""

    FETCH = "every row"
    PROBE = "GIDs and statuses, then the rows that changed"
    KEEP = "nothing: the last ones stay"


def shape_of(waiting: list[Struct], stopped: list[Struct]) -> Shape:
    """The lists as (GID, status) pairs: what a resync's probe compares."""
    return (
        tuple((struct.get("gid"), struct.get("status")) for struct in waiting),
        tuple((struct.get("gid"), struct.get("status")) for struct in stopped),
    )


def pages(count: int) -> int:
    """Pages of :data:`PAGE_SIZE` that hold ``count`` entries and one more (a list
    that grew), never more than the pages of :data:`MAX_DOWNLOADS`."""
    return min(count, MAX_DOWNLOADS) // PAGE_SIZE + 1


def cut_short_words(method: str, reported: int | None, shown: int) -> str:
    said = "does not say how many" if reported is None else f"counts {reported:,}"
    return (
        f"{method} goes on past the {shown:,} downloads read (aria2 {said}): the rest is not read"
    )


class ListReader:
    """The lists of one daemon (see the module docstring)."""

    def __init__(self, resync: float) -> None:
        self.resync = resync
        """Seconds between looks when nothing said the lists changed (0: every tick)."""
        self.at = 0.0
        """``time.monotonic()`` when the lists were last read."""
        self.dirty = True
        """Something said they changed since they were read."""
        self.part: tuple[Download, ...] | None = None
        """The waiting and stopped downloads as last parsed (reused between looks)."""
        self.present: dict[str, str] = {}
        """Their GIDs and aria2 statuses."""
        self.problems: tuple[str, ...] = ()
        """What was wrong with them when they were read."""
        self.probe_seconds = 0.0
        """How long aria2 took to answer the last probe."""
        self.last_counts = (0, 0)
        self.reported: tuple[int | None, int | None] = (None, None)
        """The counts aria2 reported this tick: read no further than them (and a page)."""
        self.cut_short: tuple[str, ...] = ()
        """The lists cut short at their bound the last time they were read, in words."""
        self._shape: Shape = ((), ())
        self._running: set[str] = set()

    @property
    def resync_in_force(self) -> float:
        """Seconds between resyncs as things stand: ``resync``, or longer while a probe
        takes aria2 more than :data:`RESYNC_SHARE` of that (0: every tick, in full)."""
        if self.resync <= 0:
            return 0.0
        return max(self.resync, self.probe_seconds / RESYNC_SHARE)

    def due(self) -> Lists:
        """What this tick asks of the lists: every row the first time (and every tick
        with ``resync`` 0); a probe when something said they changed, or at the
        resync; else nothing."""
        if self.part is None or self.resync <= 0:
            return Lists.FETCH
        if self.dirty and self.probe_allowed(WAKE_SHARE):
            return Lists.PROBE
        if time.monotonic() - self.at >= self.resync and self.probe_allowed(RESYNC_SHARE):
            return Lists.PROBE
        return Lists.KEEP

    def note_probe(self, seconds: float) -> None:
        """Keep how long a probe took. A probe held up by a daemon that stalled (a
        SIGSTOP, a machine swapping) must not stretch the resync for minutes: one
        measure may at most double the last one (lists that really grew are caught
        up within a few probes)."""
        last = self.probe_seconds
        self.probe_seconds = seconds if last <= 0 else min(seconds, 2 * last + PROBE_SLACK)

    def probe_allowed(self, share: float) -> bool:
        """Whether a probe now keeps aria2's time spent on them under ``share`` of its
        time: at 100,000 downloads one takes aria2 about half a second."""
        return time.monotonic() - self.at >= self.probe_seconds / share

    def note_counts(self, stat: Struct) -> None:
        """The counts aria2 reported in this tick's statistics."""
        self.reported = (
            fields.count(stat.get("numWaiting")),
            fields.count(stat.get("numStopped")),
        )

    def counts_moved(self) -> bool:
        """Whether aria2's counts differ from the lists shown (one was added, removed,
        or ended)."""
        return self.reported != self.last_counts

    def left_unseen(self, active: list[Struct]) -> bool:
        """Whether a download that ran on the last tick stopped running without the
        lists saying where it went (one started as another stopped: same counts)."""
        running = {gid for struct in active if isinstance(gid := struct.get("gid"), str)}
        before, self._running = self._running, running
        return any(gid not in running and gid not in self.present for gid in before)

    def calls(self, keys: Sequence[str]) -> list[RpcCall]:
        """The pages of both lists as they were last read (and one more page each)."""
        waiting, stopped = (pages(count) for count in self.last_counts)
        return [
            *(
                RpcCall("aria2.tellWaiting", [i * PAGE_SIZE, PAGE_SIZE, list(keys)])
                for i in range(waiting)
            ),
            *(
                RpcCall("aria2.tellStopped", [i * PAGE_SIZE, PAGE_SIZE, list(keys)])
                for i in range(stopped)
            ),
        ]

    async def fetch(self, client: Aria2Client, keys: list[str]) -> Rows:
        """Every row of both lists, with ``keys``, in one call."""
        return await self.read(client, await client.multicall(self.calls(keys)), keys)

    async def read(self, client: Aria2Client, results: Sequence[Any], keys: list[str]) -> Rows:
        """The lists from the replies to :meth:`calls` (and the pages past them, as far
        as their bounds); their lengths are kept to tell when aria2's counts move."""
        fail_on_refusal(results)
        split = pages(self.last_counts[0])
        waiting = [d for page in results[:split] for d in downloads_of(page, "aria2.tellWaiting")]
        stopped = [d for page in results[split:] for d in downloads_of(page, "aria2.tellStopped")]
        self.cut_short = ()
        for method, got, reported in (
            ("aria2.tellWaiting", waiting, self.reported[0]),
            ("aria2.tellStopped", stopped, self.reported[1]),
        ):
            bound = page_bound(reported)
            del got[bound:]
            if await self._more_pages(client, method, got, keys, bound):
                self.cut_short += (cut_short_words(method, reported, len(got)),)
        self.last_counts = (len(waiting), len(stopped))
        self.at = time.monotonic()
        if keys != list(PROBE_KEYS):
            self._shape = shape_of(waiting, stopped)
        return waiting, stopped

    async def rows_for_probe(
        self, client: Aria2Client, probed: Sequence[Any], keys: list[str], cache: DownloadCache
    ) -> Rows | None:
        """The lists after a probe (the replies to :meth:`calls` asking for GIDs and
        statuses only): None when nothing moved (the last ones stay, untouched); else
        the rows, reusing what was fetched before for every download whose status is
        the same, and asking for the others only."""
        waiting, stopped = await self.read(client, probed, list(PROBE_KEYS))
        shape = shape_of(waiting, stopped)
        if shape == self._shape:
            return None
        full: dict[str, Struct] = {}
        wanted: list[str] = []
        for struct in itertools.chain(waiting, stopped):
            gid = struct.get("gid")
            if not isinstance(gid, str) or not (cache.knows(gid) or fields.is_gid(gid)):
                # Not a download as it should be: fetch everything and let the usual
                # checks name what is wrong.
                return await self.fetch(client, keys)
            before = cache.struct_of(gid)
            if before is not None and before.get("status") == struct.get("status"):
                full[gid] = before
            else:
                wanted.append(gid)
        replies = await client.multicall(
            [RpcCall("aria2.tellStatus", [gid, keys]) for gid in wanted]
        )
        for gid, reply in zip(wanted, replies, strict=True):
            if isinstance(reply, dict):
                full[gid] = reply  # else gone since: it drops out
        self._shape = shape
        return (
            [full[gid] for gid, _ in shape[0] if gid in full],
            [full[gid] for gid, _ in shape[1] if gid in full],
        )

    @staticmethod
    async def _more_pages(
        client: Aria2Client, method: str, got: list[Struct], keys: list[str], bound: int
    ) -> bool:
        """Add to ``got`` the pages past what this tick asked for, while they come
        full, up to ``bound`` entries; True when the list went on past the bound (a
        daemon that makes up entries for any offset is read no further)."""
        offset = len(got)
        while offset and offset % PAGE_SIZE == 0:
            if offset >= bound:
                return True
            page = downloads_of(await client.call(method, offset, PAGE_SIZE, keys), method)
            if not page:
                break
            got += page[: max(0, bound - offset)]
            offset += len(page)
        return False
