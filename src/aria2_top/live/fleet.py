"""Several daemons in one view: merging their snapshots, grouping targets by daemon,
and the daemons screen's rows. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model import format as fmt
from aria2_top.model.downloads import QUEUED, RUNNING, STOPPED, Download, GlobalStat, Snapshot

T = TypeVar("T")


def merged(snapshots: Iterable[Snapshot | None]) -> tuple[Download, ...]:
    """Every download of the daemons, daemon after daemon, each in aria2's order."""
    rows: list[Download] = []
    for snapshot in snapshots:
        if snapshot is not None:
            rows.extend(snapshot.downloads)
    return tuple(rows)


def _sum(values: Iterable[int | None]) -> int | None:
    """The sum, or None when any of them is unknown."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def total_limit(values: Iterable[int | None]) -> int | None:
    """The daemons' limits (0: unlimited) as one: their sum when every one is
    limited, 0 when none is; None when some are and some are not, or one is not
    known (the bar says ``[mixed]``; D shows each one's)."""
    limits = list(values)
    if any(limit is None for limit in limits):
        return None
    limited = [limit for limit in limits if limit]
    if not limited:
        return 0
    return sum(limited) if len(limited) == len(limits) else None


def total_stat(stats: Sequence[GlobalStat]) -> GlobalStat:
    """The daemons' speeds, counts and limits added up (see :func:`total_limit`):
    everyone's speed is never shown beside one daemon's limit."""
    return GlobalStat(
        down_speed=_sum(s.down_speed for s in stats),
        up_speed=_sum(s.up_speed for s in stats),
        num_active=_sum(s.num_active for s in stats),
        num_waiting=_sum(s.num_waiting for s in stats),
        num_stopped=_sum(s.num_stopped for s in stats),
        num_stopped_total=_sum(s.num_stopped_total for s in stats),
        down_limit=total_limit(s.down_limit for s in stats),
        up_limit=total_limit(s.up_limit for s in stats),
    )


def shared(values: Iterable[T | None]) -> T | None:
    """The value all of ``values`` share; None when they differ or there are none."""
    found: list[T | None] = []
    for value in values:
        if found and value != found[0]:
            return None
        if not found:
            found.append(value)
    return found[0] if found else None


def by_daemon(downloads: Iterable[Download]) -> dict[str, list[Download]]:
    """The downloads grouped by daemon name, in the order first seen."""
    groups: dict[str, list[Download]] = {}
    for download in downloads:
        groups.setdefault(download.daemon, []).append(download)
    return groups


@dataclass(frozen=True, slots=True)
class DaemonRow:
    """One line of the daemons screen (D), as text; ``daemon``: its name as configured."""

    daemon: str
    name: str
    address: str
    state: str
    version: str
    down: str
    up: str
    limits: str
    counts: str
    error: str


_STATE_WORDS = {
    PollState.CONNECTING: "connecting",
    PollState.CONNECTED: "connected",
    PollState.RECONNECTING: "no connection",
    PollState.BAD_REPLY: "bad reply",
    PollState.AUTH_FAILED: "wrong secret",
}


def daemon_row(
    name: str, address: str, status: PollStatus, snapshot: Snapshot | None, stale: bool
) -> DaemonRow:
    """What the daemons screen says of one daemon (every text made safe to show)."""
    state = _STATE_WORDS[status.state]
    if stale and status.state is PollState.CONNECTED:
        state = "stale"
    if snapshot is None:
        return DaemonRow(
            name,
            fmt.safe_text(name),
            fmt.safe_text(address),
            state,
            "",
            "",
            "",
            "",
            "",
            fmt.safe_text(status.error or ""),
        )
    stat = snapshot.stat
    rows = snapshot.downloads
    running = sum(1 for d in rows if d.status in RUNNING)
    queued = sum(1 for d in rows if d.status in QUEUED)
    stopped = sum(1 for d in rows if d.status in STOPPED)
    return DaemonRow(
        name,
        fmt.safe_text(name),
        fmt.safe_text(address),
        state,
        fmt.safe_text(snapshot.version),
        fmt.rate(stat.down_speed),
        fmt.rate(stat.up_speed),
        f"↓ {fmt.limit(stat.down_limit)} ↑ {fmt.limit(stat.up_limit)}",
        f"{running:,} / {queued:,} / {stopped:,}",
        fmt.safe_text(status.error or ""),
    )
