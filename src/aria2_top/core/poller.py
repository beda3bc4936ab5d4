"""The poller: one ``system.multicall`` per tick, turned into a :class:`Snapshot`.

Each tick asks for tellActive + tellWaiting + tellStopped (paged by 1,000) +
getGlobalStat + getGlobalOption with only the keys the table shows. Names need
the heavy ``files``/``bittorrent`` keys, so they are looked up once per new
download (and again when a provisional name's download changes status), not
every tick. A tick can be asked for early with :meth:`Poller.wake`; requests
that arrive during a tick are coalesced into one more tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aria2_top.core.model import (
    NAME_KEYS,
    TABLE_KEYS,
    Download,
    GlobalStat,
    NameInfo,
    Snapshot,
    Struct,
    name_of,
    parse_download,
)
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2AuthError, Aria2Error, Aria2RpcError

PAGE_SIZE = 1000
MAX_RETRY_DELAY = 10.0


class PollState(StrEnum):
    """How the last poll went."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    AUTH_FAILED = "authentication failed"


@dataclass(frozen=True, slots=True)
class PollStatus:
    """The poller's state, with the retry delay and the error in words when it failed."""

    state: PollState
    retry_in: float | None = None
    error: str | None = None


@dataclass(slots=True)
class _CachedName:
    info: NameInfo
    aria2_status: str
    struct: Struct | None = None  # the struct ``download`` was parsed from
    position: int | None = None
    download: Download | None = None


def _raise_first_error(results: Sequence[Any]) -> None:
    """A multicall is never refused as a whole for a bad secret: its entries are."""
    for result in results:
        if isinstance(result, Aria2RpcError):
            raise result


class Poller:
    """Polls one daemon and hands each :class:`Snapshot` to ``on_snapshot``."""

    def __init__(
        self,
        client: Aria2Client,
        *,
        interval: float = 1.0,
        on_snapshot: Callable[[Snapshot], object],
        on_status: Callable[[PollStatus], object],
        daemon: str = "",
    ) -> None:
        self.client = client
        self.interval = interval
        self.on_snapshot = on_snapshot
        self.on_status = on_status
        self.daemon = daemon
        self._wake = asyncio.Event()
        self._names: dict[str, _CachedName] = {}
        self._last_counts = (0, 0)
        self._version = ""
        self.status = PollStatus(PollState.CONNECTING)
        self.last_parse_seconds = 0.0
        """Client time of the last tick after the reply came: parsing, names, snapshot."""

    def wake(self) -> None:
        """Poll again as soon as possible (coalesced with other requests)."""
        self._wake.set()

    async def run(self) -> None:
        """Poll forever: every ``interval`` seconds, or sooner when woken."""
        failures = 0
        while True:
            self._wake.clear()
            try:
                snapshot = await self.tick()
            except Aria2AuthError as exc:
                failures += 1
                self._set_status(PollStatus(PollState.AUTH_FAILED, self._delay(failures), str(exc)))
            except Aria2Error as exc:
                failures += 1
                self._version = ""
                self._set_status(
                    PollStatus(PollState.RECONNECTING, self._delay(failures), str(exc))
                )
            else:
                failures = 0
                self._set_status(PollStatus(PollState.CONNECTED))
                self.on_snapshot(snapshot)
            delay = self.interval if failures == 0 else self._delay(failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _delay(self, failures: int) -> float:
        return float(min(MAX_RETRY_DELAY, self.interval * 2 ** (failures - 1)))

    def _set_status(self, status: PollStatus) -> None:
        self.status = status
        self.on_status(status)

    async def tick(self) -> Snapshot:
        """One poll: fetch, page past 1,000 if needed, look up new names, build a Snapshot."""
        keys = list(TABLE_KEYS)
        waiting_pages = self._last_counts[0] // PAGE_SIZE + 1
        stopped_pages = self._last_counts[1] // PAGE_SIZE + 1
        calls = [
            RpcCall("aria2.getGlobalStat"),
            RpcCall("aria2.getGlobalOption"),
            RpcCall("aria2.tellActive", [keys]),
            *(
                RpcCall("aria2.tellWaiting", [i * PAGE_SIZE, PAGE_SIZE, keys])
                for i in range(waiting_pages)
            ),
            *(
                RpcCall("aria2.tellStopped", [i * PAGE_SIZE, PAGE_SIZE, keys])
                for i in range(stopped_pages)
            ),
        ]
        if not self._version:
            calls.append(RpcCall("aria2.getVersion"))
        results = await self.client.multicall(calls)
        replied = time.perf_counter()
        _raise_first_error(results)
        stat_struct, options, active = results[0], results[1], results[2]
        waiting = [d for page in results[3 : 3 + waiting_pages] for d in page]
        stopped = [
            d
            for page in results[3 + waiting_pages : 3 + waiting_pages + stopped_pages]
            for d in page
        ]
        if not self._version:
            self._version = str(results[-1].get("version", ""))
        waiting += await self._more_pages("aria2.tellWaiting", waiting, keys)
        stopped += await self._more_pages("aria2.tellStopped", stopped, keys)
        self._last_counts = (len(waiting), len(stopped))

        structs: list[tuple[Struct, int | None]] = [(s, None) for s in active]
        structs += [(s, index) for index, s in enumerate(waiting)]
        structs += [(s, None) for s in stopped]
        await self._update_names([s for s, _ in structs])
        downloads = tuple(
            self._download(s, position) for s, position in structs if s.get("gid") in self._names
        )
        self.last_parse_seconds = time.perf_counter() - replied
        return Snapshot(downloads, GlobalStat.parse(stat_struct, options), self._version)

    def _download(self, struct: Struct, position: int | None) -> Download:
        """Parse ``struct``, or reuse the last Download when nothing in it changed.

        Most downloads (queued, paused, finished) do not change between ticks; a
        dict comparison is far cheaper than parsing, and the table can then skip
        an unchanged row by identity.
        """
        cached = self._names[struct["gid"]]
        if cached.download is None or cached.struct != struct or cached.position != position:
            cached.download = parse_download(struct, cached.info, position, self.daemon)
            cached.struct, cached.position = struct, position
        return cached.download

    async def _more_pages(self, method: str, got: list[Struct], keys: list[str]) -> list[Struct]:
        """Follow-up pages when the list grew past what this tick asked for."""
        more: list[Struct] = []
        offset = len(got)
        while offset and offset % PAGE_SIZE == 0:
            page = await self.client.call(method, offset, PAGE_SIZE, keys)
            if not page:
                break
            more += page
            offset += len(page)
        return more

    async def _update_names(self, structs: list[Struct]) -> None:
        """Look up the names of new downloads, and of provisional ones whose status moved."""
        present = {s["gid"]: str(s.get("status", "")) for s in structs if "gid" in s}
        for gid in self._names.keys() - present.keys():
            del self._names[gid]
        wanted = [
            gid
            for gid, status in present.items()
            if gid not in self._names
            or (not self._names[gid].info.final and self._names[gid].aria2_status != status)
        ]
        if not wanted:
            return
        results = await self.client.multicall(
            [RpcCall("aria2.tellStatus", [gid, list(NAME_KEYS)]) for gid in wanted]
        )
        for gid, result in zip(wanted, results, strict=True):
            if isinstance(result, Aria2AuthError):
                raise result
            if isinstance(result, Aria2RpcError):
                continue  # gone between the two calls: it drops out next tick
            self._names[gid] = _CachedName(name_of(result), present[gid])  # new: reparse
