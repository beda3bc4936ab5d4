"""The rows and counts kept between ticks (model/rows.py) are exactly what a full
filter and sort of every download gives: random downloads, every column, both
directions, every view, with and without a filter, one daemon and several, and
ticks where only the running downloads change."""

from __future__ import annotations

import dataclasses
import random

import pytest

from aria2_top.model.columns import COLUMNS, sort_downloads, tie_key
from aria2_top.model.downloads import RUNNING, Download, GlobalStat, Snapshot, Status
from aria2_top.model.query import View, visible
from aria2_top.model.rows import RowOrder, StatusTally, parts_of

NAMES = ["debian.iso", "Debian.iso", "ubuntu.iso", "a", "b", "movie.mkv", "?"]
LISTED = [Status.WAITING, Status.PAUSED, Status.COMPLETE, Status.ERROR, Status.REMOVED]


def _download(
    rng: random.Random, daemon: str, gid: int, status: Status, pos: int | None
) -> Download:
    speed = rng.choice([0, 0, 1000, 5000, None])
    return Download(
        gid=f"{gid:016x}",
        status=status,
        name=rng.choice(NAMES),
        aria2_status=str(status),
        total=rng.choice([0, 100, 1000, None]),
        completed=rng.choice([0, 50, 100]),
        down_speed=speed if status in RUNNING else 0,
        up_speed=rng.choice([0, 10]),
        connections=rng.choice([0, 1, 5]),
        queue_position=pos,
        daemon=daemon,
        error_code=rng.choice(["", "3"]),
    )


def _snapshot(rng: random.Random, daemon: str, listed: tuple[Download, ...] | None) -> Snapshot:
    running = tuple(
        _download(rng, daemon, rng.randrange(10**6), rng.choice(sorted(RUNNING)), None)
        for _ in range(rng.randrange(0, 6))
    )
    if listed is None:
        statuses = [rng.choice(LISTED) for _ in range(rng.randrange(0, 40))]
        waiting = [s for s in statuses if s in (Status.WAITING, Status.PAUSED)]
        listed = tuple(
            _download(rng, daemon, 10**7 + i, s, i if i < len(waiting) else None)
            for i, s in enumerate(waiting + [s for s in statuses if s not in waiting])
        )
    return Snapshot(running + listed, _stat(), listed=listed)


def _stat() -> GlobalStat:
    return GlobalStat.parse({}, {})


@pytest.mark.parametrize("seed", range(12))
def test_rows_kept_between_ticks_equal_a_full_sort(seed: int) -> None:
    rng = random.Random(seed)
    daemons = ["nas", "box", "Alpha"][: rng.randrange(1, 4)]
    order, tally = RowOrder(), StatusTally()
    snapshots = [_snapshot(rng, name, None) for name in daemons]
    for tick in range(4):
        if tick:  # a tick: new running downloads, the same listed tuples
            snapshots = [
                _snapshot(rng, s.downloads[0].daemon if s.downloads else "x", s.listed)
                if s.listed
                else s
                for s in snapshots
            ]
        everything = [d for s in snapshots for d in s.downloads]
        parts = parts_of(snapshots)
        for column in [c.key for c in COLUMNS]:
            for reverse in (False, True):
                for view in View:
                    for text in ("", "iso", "host:n"):
                        want = sort_downloads(visible(everything, view, text), column, reverse)
                        got = order.rows(parts, view, text, column, reverse)
                        assert [d.key for d in got] == [d.key for d in want], (
                            column,
                            reverse,
                            view,
                            text,
                        )
        for text in ("", "iso"):
            counts = tally.view_counts(parts, text)
            for view in View:
                assert counts[view][1] == len(visible(everything, view))
                assert counts[view][0] == len(visible(everything, view, text))


def _reused(order: RowOrder) -> tuple[bool, bool]:
    return order.reused, order.same_order


def test_rows_are_reused_only_while_the_lists_are_the_same_tuples() -> None:
    rng = random.Random(1)
    first = _snapshot(rng, "nas", None)
    order = RowOrder()
    order.rows(parts_of([first]), View.ALL, "", "name", False)
    assert _reused(order) == (False, False)
    again = _snapshot(rng, "nas", first.listed)
    order.rows(parts_of([again]), View.ALL, "", "name", False)
    assert _reused(order)[0]
    order.rows(parts_of([again]), View.ALL, "", "name", False)
    assert _reused(order) == (True, True), "nothing moved: the same order"
    order.rows(parts_of([again]), View.ALL, "x", "name", False)
    assert _reused(order) == (False, False)  # another filter
    fetched = Snapshot(again.downloads, again.stat, listed=tuple(list(first.listed)))
    order.rows(parts_of([fetched]), View.ALL, "x", "name", False)
    assert _reused(order) == (False, False)  # a new tuple, though equal: fetched anew


def test_the_tie_order_is_worked_out_ahead_and_kept_while_the_lists_are_the_same() -> None:
    rng = random.Random(3)
    snapshot = _snapshot(rng, "nas", None)
    order = RowOrder()
    order.prepare(parts_of([snapshot]))
    ahead = order.matches.by_tie([snapshot.listed])
    assert order.matches.by_tie([snapshot.listed]) is ahead, "kept, not sorted again"
    got = order.rows(parts_of([snapshot]), View.ALL, "", "down", True)
    assert got == sort_downloads(list(snapshot.downloads), "down", True)
    again = tuple(list(snapshot.listed))
    assert order.matches.by_tie([again]) is ahead, "fetched anew, the very same downloads"
    changed = (*again[1:], dataclasses.replace(again[0], name="zz"))
    assert order.matches.by_tie([changed]) is not ahead, "one changed: sorted again"
    assert order.matches.by_tie([changed]) == sorted(changed, key=tie_key)


@pytest.mark.parametrize("seed", range(6))
def test_sorts_worked_out_ahead_give_the_same_rows(seed: int) -> None:
    """What ``<``, ``>`` and ``I`` ask for next is worked out while idle, one at a
    time; the rows are those of a full sort, and only while the lists are the same."""
    rng = random.Random(seed)
    snapshot = _snapshot(rng, "nas", None)
    parts = parts_of([snapshot])
    order = RowOrder()
    order.rows(parts, View.ALL, "", "name", False)
    sorts = [("size", True), ("status", False), ("name", True)]
    steps = 0
    while order.prepare(parts, View.ALL, "", sorts):
        steps += 1
    assert steps == len(sorts) - 1, "one sort worked out per call"
    assert not order.prepare(parts, View.ALL, "", sorts), "nothing left to do"
    for column, reverse in sorts:
        want = sort_downloads(list(snapshot.downloads), column, reverse)
        assert order.rows(parts, View.ALL, "", column, reverse) == want
    fetched = Snapshot(snapshot.downloads, snapshot.stat, listed=tuple(list(snapshot.listed)))
    order.prepare(parts_of([fetched]), View.ALL, "", [("size", False)])
    changed = _snapshot(rng, "nas", None)
    want = sort_downloads(list(changed.downloads), "size", False)
    assert order.rows(parts_of([changed]), View.ALL, "", "size", False) == want, "not stale"
