"""What the poller knows of each download between ticks: its name (looked up once:
it needs aria2's heavy ``files``/``bittorrent`` keys), the struct and the
:class:`Download` it last made of it, what the speed rule keeps, its limits.

An unchanged struct gives back the very same :class:`Download` object: a dict
comparison is far cheaper than parsing, and everything after the poller (the table,
the sorts, the history) skips an unchanged download by identity.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from aria2_top.live.limit_lookup import EVERY as LIMITS_EVERY
from aria2_top.live.limit_lookup import LimitLookup, Limits
from aria2_top.live.replies import Problems
from aria2_top.model import fields
from aria2_top.model.downloads import (
    NAME_KEYS,
    RUNNING,
    Download,
    ListedEntry,
    NameInfo,
    listed_entries,
    name_of,
    parse_download,
)
from aria2_top.model.fields import Struct
from aria2_top.model.format import plural
from aria2_top.model.speeds import SpeedWatch
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError


class Stamper(Protocol):
    """What the cache tells about each download it parses (the history of downloads:
    see :mod:`aria2_top.storage.history_file`)."""

    def stamp(self, download: Download) -> Download:
        """Note ``download`` (new, or changed) and return it with its times."""
        ...

    def commit(self) -> None:
        """The tick is over: keep what was noted."""
        ...

    def recall(self, daemon: str, gids: Collection[str]) -> None:
        """These downloads are new to the poller: look up what is known of them (they
        are stamped soon)."""
        ...


@dataclass(slots=True)
class Known:
    """One download as the cache knows it."""

    info: NameInfo
    aria2_status: str
    struct: Struct | None = None
    """The struct :attr:`download` was parsed from."""
    position: int | None = None
    download: Download | None = None
    down: SpeedWatch = field(default_factory=SpeedWatch)
    up: SpeedWatch = field(default_factory=SpeedWatch)
    """What the speed rule keeps of it (see :mod:`aria2_top.model.speeds`)."""
    limits: Limits | None = None
    """The limits :attr:`download` was made with."""


def tighter(own: int | None, overall: int | None) -> int | None:
    """The limit in force of a download with its ``own`` and the ``overall`` one (0 or
    None: no limit)."""
    limits = [limit for limit in (own, overall) if limit]
    return min(limits) if limits else None


class DownloadCache:
    """The downloads of one daemon, by GID (see the module docstring)."""

    def __init__(self, daemon: str, stamper: Stamper | None = None) -> None:
        self.daemon = daemon
        self.stamper = stamper
        self.limits = LimitLookup()
        """Each download's own limits, looked up while a limit column is shown."""
        self.known: dict[str, Known] = {}
        self.global_limits: tuple[int | None, int | None] = (None, None)
        """The daemon's global (↓, ↑) limits as of this tick (0 or None: none)."""
        self._malformed_of: tuple[tuple[Download, ...] | None, int] = (None, 0)

    def knows(self, gid: str) -> bool:
        return gid in self.known

    def struct_of(self, gid: str) -> Struct | None:
        """The struct a download was last made from (None: not known yet)."""
        known = self.known.get(gid)
        return None if known is None else known.struct

    # -- names -------------------------------------------------------------------------

    def take_names(self, structs: Iterable[Struct]) -> None:
        """Learn the names of new downloads from rows fetched with the name keys, then
        drop those keys (the file lists): the rows are kept, and later fetches lack
        them."""
        new: list[str] = []
        for struct in structs:
            gid = struct.get("gid")
            if isinstance(gid, str) and gid not in self.known and fields.is_gid(gid):
                self.known[gid] = Known(name_of(struct), str(struct.get("status")))
                new.append(gid)
            for key in NAME_KEYS[1:]:
                struct.pop(key, None)
        self._recall(new)

    async def update_names(
        self, client: Aria2Client, present: dict[str, str], *, forget: bool
    ) -> None:
        """Look up the names of new downloads, and of provisional ones whose status
        moved (``present``: each GID shown and its aria2 status). ``forget``:
        ``present`` is every download (the lists were fetched): the others go."""
        known = self.known
        if forget:
            for gid in known.keys() - present.keys():
                del known[gid]
        wanted = [
            gid
            for gid, status in present.items()
            if gid not in known or (not known[gid].info.final and known[gid].aria2_status != status)
        ]
        if not wanted:
            return
        self._recall([gid for gid in wanted if gid not in known])  # read while aria2 answers
        results = await client.multicall(
            [RpcCall("aria2.tellStatus", [gid, list(NAME_KEYS)]) for gid in wanted]
        )
        for gid, result in zip(wanted, results, strict=True):
            if isinstance(result, Aria2RpcError):
                continue  # gone between the two calls: it drops out next tick
            info = name_of(result) if isinstance(result, dict) else NameInfo("?")
            known[gid] = Known(info, present[gid])  # new: parsed again

    def _recall(self, gids: list[str]) -> None:
        if gids and self.stamper is not None:
            self.stamper.recall(self.daemon, gids)

    # -- limits ------------------------------------------------------------------------

    async def update_limits(
        self, client: Aria2Client, present: Iterable[tuple[str, str]], resync: float
    ) -> set[str]:
        """Ask the limits that are due (see :mod:`aria2_top.live.limit_lookup`); the
        GIDs whose limits changed."""
        if not self.limits.wanted:
            return set()
        statuses = dict(present)
        now = time.monotonic()
        due = self.limits.due(statuses.items(), now, resync or LIMITS_EVERY)
        if not due:
            return set()
        results = await client.multicall(self.limits.calls(due))
        return self.limits.take(due, statuses, results, now)

    # -- downloads ---------------------------------------------------------------------

    def valid_entries(
        self,
        active: list[Struct],
        waiting: list[Struct],
        stopped: list[Struct],
        problems: Problems,
    ) -> tuple[list[ListedEntry], dict[str, str]]:
        """:func:`listed_entries`, the GIDs seen on earlier ticks taken as checked; the
        entries left out are named in ``problems``."""
        kept, present = listed_entries(active, waiting, stopped, self.known)
        dropped = len(active) + len(waiting) + len(stopped) - len(kept)
        if dropped:
            problems.append(f"{plural(dropped, 'download')} without a valid, unique GID left out")
        return kept, present

    def parsed(self, entries: list[ListedEntry]) -> tuple[Download, ...]:
        return tuple(
            self.download(struct, gid, position)
            for struct, gid, position in entries
            if gid in self.known
        )

    def download(self, struct: Struct, gid: str, position: int | None) -> Download:
        """Parse ``struct``, or give back the last Download when nothing in it changed."""
        known = self.known[gid]
        limits = self.limits.of(gid)
        if (
            known.download is None
            or known.struct != struct
            or known.position != position
            or known.limits != limits
        ):
            download = parse_download(struct, known.info, position, self.daemon, limits)
            known.limits = limits
            download = self._judge_speed(known, download)
            if self.stamper is not None:
                download = self.stamper.stamp(download)
            known.download = download
            known.struct, known.position = struct, position
        return known.download

    def again(self, download: Download) -> Download:
        """``download`` made again from its last struct (its limits changed)."""
        known = self.known.get(download.gid)
        if known is None or known.struct is None:
            return download
        return self.download(known.struct, download.gid, known.position)

    def malformed_listed(self, listed: tuple[Download, ...]) -> int:
        """How many of the waiting and stopped downloads aria2 sent malformed values for
        (counted once per fetch of the lists)."""
        if listed is not self._malformed_of[0]:
            self._malformed_of = (listed, sum(1 for d in listed if d.malformed))
        return self._malformed_of[1]

    def _judge_speed(self, known: Known, download: Download) -> Download:
        """Keep aria2's start-up spikes off the screen (the one rule: see
        :mod:`aria2_top.model.speeds`)."""
        now = time.monotonic()
        phase = download.status.value if download.status in RUNNING else ""
        first_sight = known.download is None
        own_down, own_up = download.limits or (None, None)
        global_down, global_up = self.global_limits
        down = known.down.judge(
            download.down_speed,
            download.completed,
            now,
            phase=phase,
            first_sight=first_sight,
            limit=tighter(own_down, global_down),
        )
        up = known.up.judge(
            download.up_speed,
            download.uploaded,
            now,
            phase=phase,
            first_sight=first_sight,
            limit=tighter(own_up, global_up),
        )
        if (down, up) == (download.down_speed, download.up_speed):
            return download
        return replace(download, down_speed=down, up_speed=up)
