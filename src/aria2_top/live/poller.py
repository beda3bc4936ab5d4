"""The poller: one ``system.multicall`` per tick, turned into a :class:`Snapshot`.

Each tick asks for getGlobalStat + getGlobalOption + tellActive, with only the keys
the table shows. The waiting and stopped lists (tellWaiting, tellStopped, paged by
1,000) are looked at only when something says they changed or at the resync
(:meth:`Poller._lists_due`): first each one's GID and status (a probe), then the
full rows of those that changed; between looks the same tuple of downloads is
handed on, so what the UI worked out from it can be kept. The first tick asks for a
screenful of each list with names and shows it before the rest. Names need the
heavy ``files``/``bittorrent`` keys: they come with the first lists, then are looked
up once per new download (and again when a provisional name's download changes
status). A tick can be asked for early with :meth:`Poller.wake`; requests that
arrive during a tick are coalesced into one more tick, woken ticks start at least
:data:`MIN_WAKE_GAP` apart, and probes keep within a share of aria2's time, so a
flood of notifications costs a bounded number of polls.

The reply is not trusted: a list of downloads of the wrong shape makes the poll a
bad reply (the last rows stay, marked stale); statistics of the wrong type, entries
without a valid GID and duplicates are left out and named in
:attr:`Snapshot.problems`; unusable numbers become None in the :class:`Download`.
A poll never ends the poller: an unexpected error is reported like a failed poll,
and the next tick tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any, Protocol

from aria2_top.live.limit_lookup import EVERY as LIMITS_EVERY
from aria2_top.live.limit_lookup import LimitLookup, Limits
from aria2_top.live.listing import MAX_DOWNLOADS, page_bound
from aria2_top.model import fields
from aria2_top.model.downloads import (
    NAME_KEYS,
    RUNNING,
    TABLE_KEYS,
    Download,
    GlobalStat,
    NameInfo,
    Snapshot,
    name_of,
    parse_download,
)
from aria2_top.model.fields import Struct
from aria2_top.model.format import plural
from aria2_top.model.speeds import SpeedWatch, total_within
from aria2_top.rpc.client import Aria2Client, RpcCall, kind_of
from aria2_top.rpc.errors import Aria2AuthError, Aria2Error, Aria2ProtocolError, Aria2RpcError

PAGE_SIZE = 1000
MAX_RETRY_DELAY = 5.0
MIN_WAKE_GAP = 0.25
"""Seconds between the starts of two ticks asked for early (notifications, actions)."""


FIRST_ROWS = 100
"""Rows of each list the first tick asks for before the rest: a screenful, at once."""
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
"""Seconds a probe's measure may grow by beyond twice the last (see _note_probe)."""

_Shape = tuple[tuple[tuple[object, object], ...], tuple[tuple[object, object], ...]]

_log = logging.getLogger(__name__)


class Lists(Enum):
    """What one tick asks of the waiting and stopped lists."""

    FETCH = "every row"
    PROBE = "GIDs and statuses, then the rows that changed"
    KEEP = "nothing: the last ones stay"


class PollState(StrEnum):
    """How the last poll went."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    BAD_REPLY = "bad reply"
    AUTH_FAILED = "authentication failed"


@dataclass(frozen=True, slots=True)
class PollStatus:
    """The poller's state; when it failed, the error in words and when the next try
    starts (``time.monotonic()`` time)."""

    state: PollState
    retry_at: float | None = None
    error: str | None = None


@dataclass(slots=True)
class _CachedName:
    info: NameInfo
    aria2_status: str
    struct: Struct | None = None  # the struct ``download`` was parsed from
    position: int | None = None
    download: Download | None = None
    down: SpeedWatch = field(default_factory=SpeedWatch)
    up: SpeedWatch = field(default_factory=SpeedWatch)
    """What the speed rule keeps of it (see :mod:`aria2_top.model.speeds`)."""
    limits: Limits | None = None
    """The limits ``download`` was made with."""


class _Problems(list[str]):
    """What was wrong with one reply, one line each."""

    def wrong_type(self, method: str, value: object, wanted: str) -> None:
        self.append(f"{method} sent {kind_of(value)}, not {wanted}: its part is left out")


def _judged_totals(stat: GlobalStat, running: Sequence[Download]) -> GlobalStat:
    """The daemon's speeds under the same rule as its downloads' (see
    :func:`aria2_top.model.speeds.total_within`)."""
    down = total_within(stat.down_speed, sum(d.down_speed or 0 for d in running), stat.down_limit)
    up = total_within(stat.up_speed, sum(d.up_speed or 0 for d in running), stat.up_limit)
    if (down, up) == (stat.down_speed, stat.up_speed):
        return stat
    return replace(stat, down_speed=down, up_speed=up)


def _pages(count: int) -> int:
    """Pages of :data:`PAGE_SIZE` that hold ``count`` entries and one more (a list
    that grew), never more than the pages of :data:`MAX_DOWNLOADS`."""
    return min(count, MAX_DOWNLOADS) // PAGE_SIZE + 1


def _cut_short_words(method: str, reported: int | None, shown: int) -> str:
    said = "does not say how many" if reported is None else f"counts {reported:,}"
    return (
        f"{method} goes on past the {shown:,} downloads read (aria2 {said}): the rest is not read"
    )


def _tighter(own: int | None, overall: int | None) -> int | None:
    """The limit in force of a download with its ``own`` and the ``overall`` one (0 or
    None: no limit)."""
    limits = [limit for limit in (own, overall) if limit]
    return min(limits) if limits else None


def _raise_first_error(results: Sequence[Any]) -> None:
    """A multicall is never refused as a whole for a bad secret: its entries are."""
    for result in results:
        if isinstance(result, Aria2RpcError):
            raise result


class Stamper(Protocol):
    """What the poller tells about each download it parses (the history of downloads:
    see :mod:`aria2_top.storage.history_file`)."""

    def stamp(self, download: Download) -> Download:
        """Note ``download`` (new, or changed) and return it with its times."""
        ...

    def commit(self) -> None:
        """The tick is over: keep what was noted."""
        ...


class Poller:
    """Polls one daemon and hands each :class:`Snapshot` to ``on_snapshot``."""

    def __init__(
        self,
        client: Aria2Client,
        *,
        interval: float = 1.0,
        on_snapshot: Callable[[Snapshot], object],
        on_status: Callable[[PollStatus], object],
        on_internal_error: Callable[[BaseException], str] | None = None,
        daemon: str = "",
        epoch: float | None = None,
        resync: float = 0.0,
        stamper: Stamper | None = None,
    ) -> None:
        """``epoch``: ``time.monotonic()`` time the regular ticks are counted from
        (pollers given the same one tick together: several daemons' snapshots then
        arrive together and are drawn once); ``resync``: seconds between fetches of
        the waiting and stopped lists when nothing said they changed (0: every tick)."""
        self.client = client
        self.interval = interval
        self.epoch = time.monotonic() if epoch is None else epoch
        self.resync = resync
        self.stamper = stamper
        self.limits = LimitLookup()
        """Each download's own limits, looked up while a limit column is shown."""
        self._lists_at = 0.0
        self._lists_dirty = True
        self._list_part: tuple[Download, ...] | None = None
        """The waiting and stopped downloads as last parsed (reused between fetches)."""
        self._list_present: dict[str, str] = {}
        self._list_problems: tuple[str, ...] = ()
        self._list_shape: _Shape = ((), ())
        self._probe_seconds = 0.0
        """How long aria2 took to answer the last probe of the lists."""
        self._running_gids: set[str] = set()
        self._malformed_of: tuple[tuple[Download, ...] | None, int] = (None, 0)
        self.on_snapshot = on_snapshot
        self.on_status = on_status
        self.on_internal_error = on_internal_error
        """Called with an error no reply should cause (a bug): returns where it was
        recorded, for the status line."""
        self.daemon = daemon
        self._wake = asyncio.Event()
        self._names: dict[str, _CachedName] = {}
        self._global_limits: tuple[int | None, int | None] = (None, None)
        """The daemon's global (↓, ↑) limits as of this tick (0 or None: none)."""
        self._last_counts = (0, 0)
        self._reported: tuple[int | None, int | None] = (None, None)
        """The counts of waiting and stopped downloads aria2 reported this tick: the
        lists are read no further than them (and a margin)."""
        self.cut_short: tuple[str, ...] = ()
        """The lists cut short at their bound the last time they were read, in words."""
        self._version = ""
        self.status = PollStatus(PollState.CONNECTING)
        self.last_reply_at: float | None = None
        """``time.monotonic()`` when the last good reply came; None before the first."""
        self.busy_since: float | None = None
        """``time.monotonic()`` when the poll under way started; None between polls."""
        self.last_parse_seconds = 0.0
        """Client time of the last tick after the reply came: parsing, names, snapshot."""
        self.last_rpc_seconds = 0.0
        """Round trip of the last tick's multicall: from the request to the whole reply."""
        self.last_lists = Lists.FETCH
        """What the last tick asked of the waiting and stopped lists."""
        self.ticks = 0
        """Polls answered."""
        self.failed_ticks = 0
        """Polls that failed (no reply, a bad one, a wrong secret)."""
        self.last_error: tuple[float, str] | None = None
        """(``time.time()``, the error in words) of the last failed poll; None before any."""

    @property
    def version(self) -> str:
        """aria2's version as it said it; empty until it has (and after a lost link)."""
        return self._version

    @property
    def probe_seconds(self) -> float:
        """How long aria2 took to answer the last probe of the waiting and stopped lists."""
        return self._probe_seconds

    @property
    def resync_in_force(self) -> float:
        """Seconds between resyncs as things stand: ``resync``, or longer while a probe
        takes aria2 more than :data:`RESYNC_SHARE` of that (0: every tick, in full)."""
        if self.resync <= 0:
            return 0.0
        return max(self.resync, self._probe_seconds / RESYNC_SHARE)

    def want_limits(self, wanted: bool) -> None:
        """Look up each download's limits (a limit column is shown) or not."""
        if wanted != self.limits.wanted:
            self.limits.wanted = wanted
            self.wake()  # the lists are fetched, and made again with their limits

    def wake(self) -> None:
        """Poll again soon (coalesced with other requests, at most every MIN_WAKE_GAP),
        with the waiting and stopped lists: something changed."""
        self._lists_dirty = True
        self._wake.set()

    async def run(self) -> None:
        """Poll forever: every ``interval`` seconds, or sooner when woken."""
        failures = 0
        while True:
            self._wake.clear()
            started = self.busy_since = time.monotonic()
            try:
                snapshot = await self.tick()
            except Aria2Error as exc:
                failures += 1
                self._failed(exc, failures)
            except Exception as exc:  # noqa: BLE001 - no reply may end the poller
                failures += 1
                self._failed(exc, failures)
            else:
                failures = 0
                self.ticks += 1
                self.last_reply_at = time.monotonic()
                self._log_tick()
                self._set_status(PollStatus(PollState.CONNECTED))
                self.on_snapshot(snapshot)
            finally:
                self.busy_since = None
            delay = self._until_next_tick() if failures == 0 else self._delay(failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            gap = min(MIN_WAKE_GAP, self.interval) - (time.monotonic() - started)
            if gap > 0:
                await asyncio.sleep(gap)

    def _log_tick(self) -> None:
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "%s: poll %d answered in %.1f ms, read in %.1f ms; lists: %s",
                self.daemon,
                self.ticks,
                self.last_rpc_seconds * 1000,
                self.last_parse_seconds * 1000,
                self.last_lists.name.lower(),
            )

    def _failed(self, exc: BaseException, failures: int) -> None:
        self.failed_ticks += 1
        retry_at = time.monotonic() + self._delay(failures)
        if isinstance(exc, Aria2AuthError):
            state, error = PollState.AUTH_FAILED, str(exc)
        elif isinstance(exc, Aria2ProtocolError):
            state, error = PollState.BAD_REPLY, str(exc)
        elif isinstance(exc, Aria2Error):
            self._version = ""
            state, error = PollState.RECONNECTING, str(exc)
        else:
            where = self.on_internal_error(exc) if self.on_internal_error else ""
            state = PollState.BAD_REPLY
            error = f"unexpected {type(exc).__name__} while reading the reply" + (
                f" (report: {where})" if where else ""
            )
        self.last_error = (time.time(), error)
        news = (state, error) != (self.status.state, self.status.error)
        self._log_failure(exc, error, self._delay(failures), news=news)
        self._set_status(PollStatus(state, retry_at, error))

    def _log_failure(self, exc: BaseException, error: str, delay: float, *, news: bool) -> None:
        """A failed poll in the debug log: a new failure as a warning (an unexpected
        error with its traceback), the same one again at DEBUG level."""
        _log.log(
            logging.WARNING if news else logging.DEBUG,
            "%s: poll failed: %s (next try in %.1f s)",
            self.daemon,
            error,
            delay,
            exc_info=exc if news and not isinstance(exc, Aria2Error) else None,
        )

    def _until_next_tick(self) -> float:
        """Seconds to the next regular tick: ticks keep to the epoch's beat (a slow
        poll or a woken one does not shift the following ones)."""
        since = time.monotonic() - self.epoch
        return self.interval - since % self.interval

    def _delay(self, failures: int) -> float:
        return float(min(MAX_RETRY_DELAY, self.interval * 2 ** (failures - 1)))

    def _set_status(self, status: PollStatus) -> None:
        if status.state is PollState.CONNECTED and self.status.state is not PollState.CONNECTED:
            _log.info("%s: connected (aria2 %s)", self.daemon, self._version or "?")
        self.status = status
        self.on_status(status)

    async def tick(self) -> Snapshot:
        """One poll: fetch, page past 1,000 if needed, look up new names, build a Snapshot.

        The running downloads and the totals come every tick; the waiting and stopped
        lists only when something says they changed (see :meth:`_lists_due`), else
        the last ones are shown again. The first tick asks for the first rows of each
        list with their names (one small call, shown at once) before the rest."""
        first = self._list_part is None
        keys = [*TABLE_KEYS, *NAME_KEYS[1:]] if first else list(TABLE_KEYS)
        due = self._lists_due()
        if due is not Lists.KEEP:
            self._lists_dirty = False  # a wake during this poll asks for the next one
        calls = [
            RpcCall("aria2.getGlobalStat"),
            RpcCall("aria2.getGlobalOption"),
            RpcCall("aria2.tellActive", [keys]),
        ]
        if first:
            list_calls = [
                RpcCall("aria2.tellWaiting", [0, FIRST_ROWS, keys]),
                RpcCall("aria2.tellStopped", [0, FIRST_ROWS, keys]),
            ]
        else:
            list_calls = {
                Lists.FETCH: self._list_calls(keys),
                Lists.PROBE: self._list_calls(list(PROBE_KEYS)),
                Lists.KEEP: [],
            }[due]
        calls += list_calls
        asks_version = not self._version
        if asks_version:
            calls.append(RpcCall("aria2.getVersion"))
        asked_at = time.monotonic()
        self.last_lists = Lists.FETCH if first else due
        results = await self.client.multicall(calls)
        replied = time.perf_counter()
        self.last_rpc_seconds = time.monotonic() - asked_at
        if due is Lists.PROBE:
            self._note_probe(time.monotonic() - asked_at)
        _raise_first_error(results)
        problems = _Problems()
        stat = _object(results[0], "aria2.getGlobalStat", problems)
        options = _object(results[1], "aria2.getGlobalOption", problems)
        self._reported = (
            fields.count(stat.get("numWaiting")),
            fields.count(stat.get("numStopped")),
        )
        self._global_limits = (
            fields.count(options.get("max-overall-download-limit")),
            fields.count(options.get("max-overall-upload-limit")),
        )
        active = _list(results[2], "aria2.tellActive")
        if asks_version:
            version = _object(results[-1], "aria2.getVersion", problems).get("version")
            self._version = fields.text(version, 40) or "?"
        left_unseen = self._left_unseen(active)
        lists: tuple[list[Struct], list[Struct]] | None = None
        if first:
            lists = await self._first_lists(
                stat, options, active, results[3:5], keys, problems, asked_at
            )
        elif due is Lists.FETCH:
            lists = await self._lists_from(results[3 : 3 + len(list_calls)], keys)
        elif due is Lists.PROBE:
            lists = await self._rows_for_probe(results[3 : 3 + len(list_calls)], keys)
        elif left_unseen or self._counts_moved(stat):  # the lists changed: look now
            if self._probe_allowed(WAKE_SHARE):
                begun = time.monotonic()
                self.last_lists = Lists.PROBE
                probed = await self.client.multicall(self._list_calls(list(PROBE_KEYS)))
                self._note_probe(time.monotonic() - begun)
                lists = await self._rows_for_probe(probed, keys)
            else:
                self._lists_dirty = True  # as soon as aria2 can spare the time
        if lists is not None:
            problems.extend(self.cut_short)
        snapshot = await self._snapshot(stat, options, active, lists, problems, asked_at)
        if self.stamper is not None:
            self.stamper.commit()
        self.last_parse_seconds = time.perf_counter() - replied
        return snapshot

    async def _first_lists(
        self,
        stat: Struct,
        options: Struct,
        active: list[Struct],
        first_pages: Sequence[Any],
        keys: list[str],
        problems: _Problems,
        asked_at: float,
    ) -> tuple[list[Struct], list[Struct]]:
        """The first tick's lists: when the first rows are not all of them, those are
        shown at once (a partial snapshot) and the rest asked for, all pages in one
        call, names included (cheaper than a name lookup per download)."""
        waiting, stopped = await self._lists_from(first_pages, keys)
        _take_names(self._names, itertools.chain(active, waiting, stopped))
        if len(waiting) < FIRST_ROWS and len(stopped) < FIRST_ROWS:
            return waiting, stopped  # that was all of them
        self.last_reply_at = time.monotonic()
        partial = await self._snapshot(
            stat, options, active, (waiting, stopped), _Problems(problems), asked_at
        )
        self.on_snapshot(replace(partial, partial=True))
        self._last_counts = (  # all pages in one call
            fields.count(stat.get("numWaiting")) or 0,
            fields.count(stat.get("numStopped")) or 0,
        )
        lists = await self._fetch_lists(keys)
        _take_names(self._names, itertools.chain(*lists))
        return lists

    async def _snapshot(
        self,
        stat: Struct,
        options: Struct,
        active: list[Struct],
        lists: tuple[list[Struct], list[Struct]] | None,
        problems: _Problems,
        asked_at: float,
    ) -> Snapshot:
        running, listed = await self._downloads(active, lists, problems)
        malformed = sum(1 for d in running if d.malformed) + self._malformed_listed(listed)
        if malformed:
            problems.append(
                f"{plural(malformed, 'download')} with values aria2 sent malformed (shown as ?)"
            )
        return Snapshot(
            running + listed,
            _judged_totals(GlobalStat.parse(stat, options), running),
            self._version,
            tuple(problems),
            asked_at,
            listed,
        )

    async def _downloads(
        self,
        active: list[Struct],
        lists: tuple[list[Struct], list[Struct]] | None,
        problems: _Problems,
    ) -> tuple[tuple[Download, ...], tuple[Download, ...]]:
        """(the running downloads, the waiting and stopped ones), in aria2's order: the
        running ones parsed (or reused); the others parsed from ``lists`` when they
        were fetched, else the very same tuple as last time (most of 10,000)."""
        if lists is not None or self._list_part is None:
            waiting, stopped = lists or ([], [])
            entries, present = self._valid_entries(active, waiting, stopped, problems)
            running = {id(struct) for struct in active}
            listed = [entry for entry in entries if id(entry[0]) not in running]
            self._list_present = {gid: present[gid] for _, gid, _ in listed}
            self._list_problems = tuple(problems)
            await self._update_names(present, forget=True)
            self.limits.forget(present)
            await self._update_limits(present.items())
            self._list_part = self._parsed(listed)
            return self._parsed([e for e in entries if id(e[0]) in running]), self._list_part
        entries, present = self._valid_entries(active, [], [], problems)
        problems.extend(p for p in self._list_problems if p not in problems)
        await self._update_names(present, forget=False)
        changed = await self._update_limits(
            itertools.chain(present.items(), self._list_present.items())
        )
        if changed & self._list_present.keys():
            self._list_part = tuple(
                self._again(d) if d.gid in changed else d for d in self._list_part
            )
        moved = present.keys() & self._list_present.keys()
        if moved:  # running now, though the counts did not say: the running row wins
            self._list_part = tuple(d for d in self._list_part if d.gid not in moved)
            for gid in moved:
                del self._list_present[gid]
        return self._parsed(entries), self._list_part

    async def _update_limits(self, present: Iterable[tuple[str, str]]) -> set[str]:
        """Ask the limits that are due (see :mod:`aria2_top.live.limit_lookup`); the
        GIDs whose limits changed."""
        if not self.limits.wanted:
            return set()
        statuses = dict(present)
        now = time.monotonic()
        due = self.limits.due(statuses.items(), now, self.resync or LIMITS_EVERY)
        if not due:
            return set()
        results = await self.client.multicall(self.limits.calls(due))
        return self.limits.take(due, statuses, results, now)

    def _again(self, download: Download) -> Download:
        """``download`` made again from its last struct (its limits changed)."""
        cached = self._names.get(download.gid)
        if cached is None or cached.struct is None:
            return download
        return self._download(cached.struct, download.gid, cached.position)

    def _parsed(self, entries: list[tuple[Struct, str, int | None]]) -> tuple[Download, ...]:
        return tuple(
            self._download(struct, gid, position)
            for struct, gid, position in entries
            if gid in self._names
        )

    def _valid_entries(
        self,
        active: list[Struct],
        waiting: list[Struct],
        stopped: list[Struct],
        problems: _Problems,
    ) -> tuple[list[tuple[Struct, str, int | None]], dict[str, str]]:
        """(struct, GID, queue position) of every entry with a valid GID, each GID once
        (the first wins), and each GID's aria2 status. A GID seen on an earlier tick
        was checked then: only new ones are matched against aria2's GID format."""
        known = self._names
        present: dict[str, str] = {}
        kept: list[tuple[Struct, str, int | None]] = []
        positions = itertools.chain(
            itertools.repeat(None, len(active)), range(len(waiting)), itertools.repeat(None)
        )
        everything = itertools.chain(active, waiting, stopped)
        for struct, position in zip(everything, positions, strict=False):  # positions: endless
            gid = struct.get("gid")
            if isinstance(gid, str) and gid not in present and (gid in known or fields.is_gid(gid)):
                present[gid] = str(struct.get("status"))
                kept.append((struct, gid, position))
        dropped = len(active) + len(waiting) + len(stopped) - len(kept)
        if dropped:
            problems.append(f"{plural(dropped, 'download')} without a valid, unique GID left out")
        return kept, present

    def _download(self, struct: Struct, gid: str, position: int | None) -> Download:
        """Parse ``struct``, or reuse the last Download when nothing in it changed.

        Most downloads (queued, paused, finished) do not change between ticks; a
        dict comparison is far cheaper than parsing, and the table can then skip
        an unchanged row by identity.
        """
        cached = self._names[gid]
        limits = self.limits.of(gid)
        if (
            cached.download is None
            or cached.struct != struct
            or cached.position != position
            or cached.limits != limits
        ):
            download = parse_download(struct, cached.info, position, self.daemon, limits)
            cached.limits = limits
            download = self._judge_speed(cached, download)
            if self.stamper is not None:
                download = self.stamper.stamp(download)
            cached.download = download
            cached.struct, cached.position = struct, position
        return cached.download

    def _judge_speed(self, cached: _CachedName, download: Download) -> Download:
        """Keep aria2's start-up spikes off the screen (the one rule: see
        :mod:`aria2_top.model.speeds`)."""
        now = time.monotonic()
        phase = download.status.value if download.status in RUNNING else ""
        first_sight = cached.download is None
        own_down, own_up = download.limits or (None, None)
        global_down, global_up = self._global_limits
        down = cached.down.judge(
            download.down_speed,
            download.completed,
            now,
            phase=phase,
            first_sight=first_sight,
            limit=_tighter(own_down, global_down),
        )
        up = cached.up.judge(
            download.up_speed,
            download.uploaded,
            now,
            phase=phase,
            first_sight=first_sight,
            limit=_tighter(own_up, global_up),
        )
        if (down, up) == (download.down_speed, download.up_speed):
            return download
        return replace(download, down_speed=down, up_speed=up)

    def _lists_due(self) -> Lists:
        """What this tick asks of the waiting and stopped lists: every row the first
        time (and every tick with ``resync`` 0); each one's GID and status, then the
        rows that changed, when something said they changed (a notification, an
        action: :meth:`wake`) or at the periodic resync, which catches what aria2
        never announces (queue moves by other clients, a paused download resumed);
        else nothing."""
        if self._list_part is None or self.resync <= 0:
            return Lists.FETCH
        if self._lists_dirty and self._probe_allowed(WAKE_SHARE):
            return Lists.PROBE
        if time.monotonic() - self._lists_at >= self.resync and self._probe_allowed(RESYNC_SHARE):
            return Lists.PROBE
        return Lists.KEEP

    def _note_probe(self, seconds: float) -> None:
        """Keep how long a probe took. A probe held up by a daemon that stalled (a
        SIGSTOP, a machine swapping) must not stretch the resync for minutes: one
        measure may at most double the last one (lists that really grew are caught
        up within a few probes)."""
        last = self._probe_seconds
        self._probe_seconds = seconds if last <= 0 else min(seconds, 2 * last + PROBE_SLACK)

    def _probe_allowed(self, share: float) -> bool:
        """Whether a probe now keeps aria2's time spent on them under ``share`` of its
        time (the last probe took :attr:`_probe_seconds`): at 100,000 downloads one
        takes aria2 about half a second."""
        return time.monotonic() - self._lists_at >= self._probe_seconds / share

    async def _rows_for_probe(
        self, probed: Sequence[Any], keys: list[str]
    ) -> tuple[list[Struct], list[Struct]] | None:
        """The lists after a probe (the replies to :meth:`_list_calls` asking for GIDs
        and statuses only): None when nothing moved (the last ones stay, untouched);
        else the rows, reusing what was fetched before for every download whose
        status is the same, and asking for the others only."""
        waiting, stopped = await self._lists_from(probed, list(PROBE_KEYS))
        shape = _shape(waiting, stopped)
        if shape == self._list_shape:
            return None
        full: dict[str, Struct] = {}
        wanted: list[str] = []
        for struct in itertools.chain(waiting, stopped):
            gid = struct.get("gid")
            if not isinstance(gid, str) or not (gid in self._names or fields.is_gid(gid)):
                # Not a download as it should be: fetch everything and let the usual
                # checks name what is wrong.
                return await self._fetch_lists(keys)
            cached = self._names.get(gid)
            if (
                cached is not None
                and cached.struct is not None
                and (cached.struct.get("status") == struct.get("status"))
            ):
                full[gid] = cached.struct
            else:
                wanted.append(gid)
        replies = await self.client.multicall(
            [RpcCall("aria2.tellStatus", [gid, keys]) for gid in wanted]
        )
        for gid, reply in zip(wanted, replies, strict=True):
            if isinstance(reply, dict):
                full[gid] = reply  # else gone since: it drops out
        self._list_shape = shape
        return (
            [full[gid] for gid, _ in shape[0] if gid in full],
            [full[gid] for gid, _ in shape[1] if gid in full],
        )

    def _list_calls(self, keys: list[str]) -> list[RpcCall]:
        waiting_pages, stopped_pages = (_pages(count) for count in self._last_counts)
        return [
            *(
                RpcCall("aria2.tellWaiting", [i * PAGE_SIZE, PAGE_SIZE, keys])
                for i in range(waiting_pages)
            ),
            *(
                RpcCall("aria2.tellStopped", [i * PAGE_SIZE, PAGE_SIZE, keys])
                for i in range(stopped_pages)
            ),
        ]

    async def _fetch_lists(self, keys: list[str]) -> tuple[list[Struct], list[Struct]]:
        """Every row of the waiting and stopped lists, with ``keys``, in one call."""
        return await self._lists_from(await self.client.multicall(self._list_calls(keys)), keys)

    async def _lists_from(
        self, results: Sequence[Any], keys: list[str]
    ) -> tuple[list[Struct], list[Struct]]:
        """The waiting and stopped lists from the replies to :meth:`_list_calls` (and
        the pages past them); their lengths are kept to tell when aria2's counts move."""
        _raise_first_error(results)
        waiting_pages = _pages(self._last_counts[0])
        waiting = [d for page in results[:waiting_pages] for d in _list(page, "aria2.tellWaiting")]
        stopped = [
            d
            for page in results[waiting_pages : len(results)]
            for d in _list(page, "aria2.tellStopped")
        ]
        self.cut_short = ()
        for method, got, reported in (
            ("aria2.tellWaiting", waiting, self._reported[0]),
            ("aria2.tellStopped", stopped, self._reported[1]),
        ):
            bound = page_bound(reported)
            del got[bound:]
            if await self._more_pages(method, got, keys, bound):
                self.cut_short += (_cut_short_words(method, reported, len(got)),)
        self._last_counts = (len(waiting), len(stopped))
        self._lists_at = time.monotonic()
        if keys != list(PROBE_KEYS):
            self._list_shape = _shape(waiting, stopped)
        return waiting, stopped

    def _left_unseen(self, active: list[Struct]) -> bool:
        """Whether a download that ran on the last tick stopped running without the
        lists saying where it went (one started as another stopped: same counts)."""
        running = {gid for struct in active if isinstance(gid := struct.get("gid"), str)}
        before, self._running_gids = self._running_gids, running
        return any(gid not in running and gid not in self._list_present for gid in before)

    def _counts_moved(self, stat: Struct) -> bool:
        """Whether aria2's counts of waiting and stopped downloads differ from the
        lists shown (one was added, removed, or ended)."""
        counts = (fields.count(stat.get("numWaiting")), fields.count(stat.get("numStopped")))
        return counts != self._last_counts

    async def _more_pages(
        self, method: str, got: list[Struct], keys: list[str], bound: int
    ) -> bool:
        """Add to ``got`` the pages past what this tick asked for, while they come
        full, up to ``bound`` entries; True when the list went on past the bound (a
        daemon that makes up entries for any offset is read no further)."""
        offset = len(got)
        while offset and offset % PAGE_SIZE == 0:
            if offset >= bound:
                return True
            page = _list(await self.client.call(method, offset, PAGE_SIZE, keys), method)
            if not page:
                break
            got += page[: max(0, bound - offset)]
            offset += len(page)
        return False

    def _malformed_listed(self, listed: tuple[Download, ...]) -> int:
        """How many of the waiting and stopped downloads aria2 sent malformed values for
        (counted once per fetch of the lists)."""
        if listed is not self._malformed_of[0]:
            self._malformed_of = (listed, sum(1 for d in listed if d.malformed))
        return self._malformed_of[1]

    async def _update_names(self, present: dict[str, str], *, forget: bool) -> None:
        """Look up the names of new downloads, and of provisional ones whose status moved
        (``present``: each GID shown and its aria2 status). ``forget``: ``present`` is
        every download (the lists were fetched): the names of the others are dropped."""
        if forget:
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
            if isinstance(result, Aria2RpcError):
                continue  # gone between the two calls: it drops out next tick
            info = name_of(result) if isinstance(result, dict) else NameInfo("?")
            self._names[gid] = _CachedName(info, present[gid])  # new: reparse


def _take_names(names: dict[str, _CachedName], structs: Iterable[Struct]) -> None:
    """Learn the names of new downloads from rows fetched with the name keys, then drop
    those keys (the file lists): the rows are kept, and later fetches lack them."""
    for struct in structs:
        gid = struct.get("gid")
        if isinstance(gid, str) and gid not in names and fields.is_gid(gid):
            names[gid] = _CachedName(name_of(struct), str(struct.get("status")))
        for key in NAME_KEYS[1:]:
            struct.pop(key, None)


def _shape(waiting: list[Struct], stopped: list[Struct]) -> _Shape:
    """The lists as (GID, status) pairs: what a resync's probe compares."""
    return (
        tuple((struct.get("gid"), struct.get("status")) for struct in waiting),
        tuple((struct.get("gid"), struct.get("status")) for struct in stopped),
    )


def _object(value: object, method: str, problems: _Problems) -> Struct:
    if isinstance(value, dict):
        return value
    problems.wrong_type(method, value, "an object")
    return {}


def _list(value: object, method: str) -> list[Struct]:
    """A list of downloads. One that is not a list of objects makes the whole poll a
    bad reply: the table keeps its last rows (marked stale) rather than lose some."""
    if not isinstance(value, list):
        raise Aria2ProtocolError(f"{method} sent {kind_of(value)}, not a list of downloads")
    entries = fields.structs(value)
    if len(entries) != len(value):
        raise Aria2ProtocolError(
            f"{method} sent {len(value) - len(entries)} entries that are not downloads"
        )
    return entries
