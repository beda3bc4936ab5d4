"""The poller: one ``system.multicall`` per tick, turned into a :class:`Snapshot`.

Each tick asks for getGlobalStat + getGlobalOption + tellActive, with only the keys
the table shows, and the waiting and stopped lists when :class:`ListReader` says so
(:mod:`.list_reader`). The first tick asks for a screenful of each list with names
and shows it before the rest. Names need the heavy ``files``/``bittorrent`` keys:
they come with the first lists, then are looked up once per new download
(:mod:`.download_cache`, which also gives back the very same :class:`Download` for
an unchanged one). A tick can be asked for early with :meth:`Poller.wake`; requests
that arrive during a tick are coalesced into one more tick, and woken ticks start at
least :data:`MIN_WAKE_GAP` apart.

The reply is not trusted (:mod:`.replies`): a list of downloads of the wrong shape
makes the poll a bad reply (the last rows stay, marked stale); statistics of the
wrong type, entries without a valid GID and duplicates are left out and named in
:attr:`Snapshot.problems`; unusable numbers become None in the :class:`Download`. A
poll never ends the poller: an unexpected error is reported like a failed poll, and
the next tick tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from aria2_top.live.call_plan import CallPlan
from aria2_top.live.download_cache import DownloadCache, Stamper
from aria2_top.live.limit_lookup import LimitLookup
from aria2_top.live.list_reader import PROBE_KEYS, WAKE_SHARE, ListReader, Lists, Rows
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.live.replies import Problems, downloads_of, fail_on_refusal, object_of
from aria2_top.model import fields
from aria2_top.model.downloads import FIRST_KEYS, TABLE_KEYS, Download, GlobalStat, Snapshot
from aria2_top.model.fields import Struct
from aria2_top.model.format import plural
from aria2_top.model.speeds import total_within
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2AuthError, Aria2Error, Aria2ProtocolError

MAX_RETRY_DELAY = 5.0
MIN_WAKE_GAP = 0.25
"""Seconds between the starts of two ticks asked for early (notifications, actions)."""
FIRST_ROWS = 100
"""Rows of each list the first tick asks for before the rest: a screenful, at once."""

_log = logging.getLogger(__name__)


def judged_totals(stat: GlobalStat, running: Sequence[Download]) -> GlobalStat:
    """The daemon's speeds under the same rule as its downloads' (see
    :func:`aria2_top.model.speeds.total_within`)."""
    down = total_within(stat.down_speed, sum(d.down_speed or 0 for d in running), stat.down_limit)
    up = total_within(stat.up_speed, sum(d.up_speed or 0 for d in running), stat.up_limit)
    if (down, up) == (stat.down_speed, stat.up_speed):
        return stat
    return replace(stat, down_speed=down, up_speed=up)


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
        self.cache = DownloadCache(daemon, stamper)
        """What is known of each download between ticks."""
        self.lists = ListReader(resync)
        """When to look at the waiting and stopped lists, and reading them."""
        self.on_snapshot = on_snapshot
        self.on_status = on_status
        self.on_internal_error = on_internal_error
        """Called with an error no reply should cause (a bug): returns where it was
        recorded, for the status line."""
        self.daemon = daemon
        self._wake = asyncio.Event()
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
    def limits(self) -> LimitLookup:
        """Each download's own limits, looked up while a limit column is shown."""
        return self.cache.limits

    @property
    def probe_seconds(self) -> float:
        """How long aria2 took to answer the last probe of the waiting and stopped lists."""
        return self.lists.probe_seconds

    @property
    def resync_in_force(self) -> float:
        """Seconds between resyncs as things stand (see :class:`ListReader`)."""
        return self.lists.resync_in_force

    def want_limits(self, wanted: bool) -> None:
        """Look up each download's limits (a limit column is shown) or not."""
        if wanted != self.limits.wanted:
            self.limits.wanted = wanted
            self.wake()  # the lists are fetched, and made again with their limits

    def wake(self) -> None:
        """Poll again soon (coalesced with other requests, at most every MIN_WAKE_GAP),
        with the waiting and stopped lists: something changed."""
        self.lists.dirty = True
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
        lists only when :meth:`ListReader.due` says, else the last ones are shown
        again. The first tick asks for the first rows of each list with their names
        (one small call, shown at once) before the rest."""
        lists_now = self.lists
        first = lists_now.part is None
        keys = list(FIRST_KEYS) if first else list(TABLE_KEYS)
        due = Lists.FETCH if first else lists_now.due()
        if due is not Lists.KEEP:
            lists_now.dirty = False  # a wake during this poll asks for the next one
        plan = CallPlan()
        plan.add("stat", RpcCall("aria2.getGlobalStat"))
        plan.add("options", RpcCall("aria2.getGlobalOption"))
        plan.add("active", RpcCall("aria2.tellActive", [keys]))
        if first:
            plan.add(
                "lists",
                RpcCall("aria2.tellWaiting", [0, FIRST_ROWS, keys]),
                RpcCall("aria2.tellStopped", [0, FIRST_ROWS, keys]),
            )
        elif due is not Lists.KEEP:
            plan.add("lists", *lists_now.calls(keys if due is Lists.FETCH else PROBE_KEYS))
        if not self._version:
            plan.add("version", RpcCall("aria2.getVersion"))
        asked_at = time.monotonic()
        self.last_lists = due
        results = await self.client.multicall(plan.calls)
        replied = time.perf_counter()
        self.last_rpc_seconds = time.monotonic() - asked_at
        if due is Lists.PROBE:
            lists_now.note_probe(time.monotonic() - asked_at)
        fail_on_refusal(results)
        replies = plan.read(results)
        problems = Problems()
        stat = object_of(replies.one("stat"), "aria2.getGlobalStat", problems)
        options = object_of(replies.one("options"), "aria2.getGlobalOption", problems)
        lists_now.note_counts(stat)
        self.cache.global_limits = (
            fields.count(options.get("max-overall-download-limit")),
            fields.count(options.get("max-overall-upload-limit")),
        )
        active = downloads_of(replies.one("active"), "aria2.tellActive")
        if replies.has("version"):
            version = object_of(replies.one("version"), "aria2.getVersion", problems).get("version")
            self._version = fields.text(version, 40) or "?"
        left_unseen = lists_now.left_unseen(active)
        rows: Rows | None = None
        if first:
            rows = await self._first_lists(
                stat, options, active, replies.many("lists"), keys, problems, asked_at
            )
        elif due is Lists.FETCH:
            rows = await lists_now.read(self.client, replies.many("lists"), keys)
        elif due is Lists.PROBE:
            rows = await lists_now.rows_for_probe(
                self.client, replies.many("lists"), keys, self.cache
            )
        elif left_unseen or lists_now.counts_moved():  # the lists changed: look now
            rows = await self._probe_now(keys)
        if rows is not None:
            problems.extend(lists_now.cut_short)
        snapshot = await self._snapshot(stat, options, active, rows, problems, asked_at)
        if self.cache.stamper is not None:
            self.cache.stamper.commit()
        self.last_parse_seconds = time.perf_counter() - replied
        return snapshot

    async def _probe_now(self, keys: list[str]) -> Rows | None:
        """A probe out of turn (the counts moved), when aria2 can spare the time; else
        one as soon as it can."""
        if not self.lists.probe_allowed(WAKE_SHARE):
            self.lists.dirty = True
            return None
        begun = time.monotonic()
        self.last_lists = Lists.PROBE
        probed = await self.client.multicall(self.lists.calls(PROBE_KEYS))
        self.lists.note_probe(time.monotonic() - begun)
        return await self.lists.rows_for_probe(self.client, probed, keys, self.cache)

    async def _first_lists(
        self,
        stat: Struct,
        options: Struct,
        active: list[Struct],
        first_pages: Sequence[object],
        keys: list[str],
        problems: Problems,
        asked_at: float,
    ) -> Rows:
        """The first tick's lists: when the first rows are not all of them, those are
        shown at once (a partial snapshot) and the rest asked for, all pages in one
        call, names included (cheaper than a name lookup per download)."""
        waiting, stopped = await self.lists.read(self.client, first_pages, keys)
        self.cache.take_names(itertools.chain(active, waiting, stopped))
        if len(waiting) < FIRST_ROWS and len(stopped) < FIRST_ROWS:
            return waiting, stopped  # that was all of them
        self.last_reply_at = time.monotonic()
        partial = await self._snapshot(
            stat, options, active, (waiting, stopped), Problems(problems), asked_at
        )
        self.on_snapshot(replace(partial, partial=True))
        self.lists.last_counts = (  # all pages in one call
            fields.count(stat.get("numWaiting")) or 0,
            fields.count(stat.get("numStopped")) or 0,
        )
        rows = await self.lists.fetch(self.client, keys)
        self.cache.take_names(itertools.chain(*rows))
        return rows

    async def _snapshot(
        self,
        stat: Struct,
        options: Struct,
        active: list[Struct],
        rows: Rows | None,
        problems: Problems,
        asked_at: float,
    ) -> Snapshot:
        running, listed = await self._downloads(active, rows, problems)
        malformed = sum(1 for d in running if d.malformed) + self.cache.malformed_listed(listed)
        if malformed:
            problems.append(
                f"{plural(malformed, 'download')} with values aria2 sent malformed (shown as ?)"
            )
        return Snapshot(
            running + listed,
            judged_totals(GlobalStat.parse(stat, options), running),
            self._version,
            tuple(problems),
            asked_at,
            listed,
        )

    async def _downloads(
        self, active: list[Struct], rows: Rows | None, problems: Problems
    ) -> tuple[tuple[Download, ...], tuple[Download, ...]]:
        """(the running downloads, the waiting and stopped ones), in aria2's order: the
        running ones parsed (or reused); the others parsed from ``rows`` when they
        were read, else the very same tuple as last time (most of 10,000)."""
        cache, lists = self.cache, self.lists
        if rows is not None or lists.part is None:
            waiting, stopped = rows or ([], [])
            entries, present = cache.valid_entries(active, waiting, stopped, problems)
            running = {id(struct) for struct in active}
            listed = [entry for entry in entries if id(entry[0]) not in running]
            lists.present = {gid: present[gid] for _, gid, _ in listed}
            lists.problems = tuple(problems)
            await cache.update_names(self.client, present, forget=True)
            cache.limits.forget(present)
            await cache.update_limits(self.client, present.items(), self.resync)
            lists.part = cache.parsed(listed)
            return cache.parsed([e for e in entries if id(e[0]) in running]), lists.part
        entries, present = cache.valid_entries(active, [], [], problems)
        problems.extend(p for p in lists.problems if p not in problems)
        await cache.update_names(self.client, present, forget=False)
        changed = await cache.update_limits(
            self.client, itertools.chain(present.items(), lists.present.items()), self.resync
        )
        if changed & lists.present.keys():
            lists.part = tuple(cache.again(d) if d.gid in changed else d for d in lists.part)
        moved = present.keys() & lists.present.keys()
        if moved:  # running now, though the counts did not say: the running row wins
            lists.part = tuple(d for d in lists.part if d.gid not in moved)
            for gid in moved:
                del lists.present[gid]
        return cache.parsed(entries), lists.part
