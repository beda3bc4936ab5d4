"""The table's rows and the views' counts, kept up to date at the cost of what changed.

A snapshot's waiting and stopped downloads (:attr:`Snapshot.listed`) are the very
same tuple tick after tick until the poller fetches them again: with 10,000
downloads that is nearly all of them. What is worked out from them (the rows of the
view, filtered and sorted; the count of each status) is kept while they are the
same objects and the view, filter and sort are the same; each tick only the running
downloads are filtered, sorted and merged in. The result is exactly what
:func:`visible` and :func:`sort_downloads` give over everything (the tests compare).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from aria2_top.model.column_sort import sort_by_column
from aria2_top.model.columns import SortKey, sort_downloads, sort_key_of, tie_key
from aria2_top.model.downloads import Download, Snapshot, Status
from aria2_top.model.query import View, matcher, visible

_Tally = tuple[Sequence[Download], "Counter[object]", "Counter[object]"]
"""The listed downloads, their count per status, and of those matching the filter."""
Parts = Sequence[tuple[Sequence[Download], Sequence[Download]]]
"""Per daemon, in the view's daemon order: (running downloads, listed downloads)."""


def parts_of(
    snapshots: Sequence[Snapshot | None],
) -> list[tuple[tuple[Download, ...], tuple[Download, ...]]]:
    """Each daemon's (running, listed) downloads, daemons without a snapshot left out."""
    return [(s.running, s.listed) for s in snapshots if s is not None]


def same_objects(these: Sequence[object], those: Sequence[object]) -> bool:
    """Whether two sequences hold the very same objects, in order: how the lists of a
    snapshot are known to be the ones worked from before (not fetched again)."""
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))


@dataclass(slots=True)
class _Kept:
    lists: tuple[Sequence[Download], ...]
    """The listed tuples the rows were worked out from."""
    how: tuple[object, ...]
    rows: list[list[Download]]
    """Per daemon, its listed downloads in the view, sorted (or in aria2's order)."""
    merged: list[Download]
    """With a sort by a column: every daemon's listed rows in the table's order."""


class ListedMatches:
    """What is worked out once per fetch of a daemon's lists and filter, and shared
    by the rows and the counts: the downloads matching the filter."""

    def __init__(self) -> None:
        self._matched: dict[tuple[int, str], tuple[Sequence[Download], list[Download]]] = {}
        self._by_tie: tuple[Sequence[Sequence[Download]], list[Download]] = ((), [])

    def matching(self, listed: Sequence[Download], text: str) -> list[Download]:
        """The downloads of ``listed`` that match the filter ``text``, in their order."""
        key = (id(listed), text)
        kept = self._matched.get(key)
        if kept is None or kept[0] is not listed:
            test = matcher(text)
            found = list(listed) if test is None else [d for d in listed if test(d)]
            if len(self._matched) > 8:  # the filter typed letter by letter, old fetches
                self._matched.clear()
            kept = self._matched[key] = (listed, found)
        return kept[1]

    def by_tie(self, lists: Sequence[Sequence[Download]]) -> list[Download]:
        """Every download of ``lists`` in :func:`tie_key` order: the first of the two
        sorts by a column, kept while the lists are the same (at 100,000 downloads
        it is the larger half of a sort's time; :meth:`RowOrder.prepare` works it
        out ahead, when the user is not typing)."""
        kept_lists, kept = self._by_tie
        if not same_objects(kept_lists, lists):
            if len(kept_lists) == len(lists) and all(
                same_objects(a, b) for a, b in zip(kept_lists, lists, strict=True)
            ):  # fetched again, the very same downloads: the order holds
                self._by_tie = (tuple(lists), kept)
            else:
                everything = [d for listed in lists for d in listed]
                self._by_tie = (tuple(lists), sorted(everything, key=tie_key))
        return self._by_tie[1]


class RowOrder:
    """The rows of the table, worked out again only for what changed."""

    def __init__(self) -> None:
        self._kept: _Kept | None = None
        self._ahead: dict[tuple[object, ...], _Kept] = {}
        """Listed rows worked out ahead for sorts a key may ask for next."""
        self.matches = ListedMatches()
        self.reused = False
        """Whether the last :meth:`rows` reused the listed rows of the call before it
        (so every row not running is the same Download as then)."""
        self.same_order = False
        """Whether the last :meth:`rows` gave the same downloads in the same order as
        the call before it (only the running ones' values changed)."""
        self._last_order: list[object] = []

    def rows(
        self, parts: Parts, view: View, text: str, column: str, reverse: bool
    ) -> list[Download]:
        """The downloads of ``view`` matching ``text``, sorted by ``column``: the same
        as ``sort_downloads(visible(everything, view, text), column, reverse)``."""
        kept = self._listed_rows(parts, view, text, column, reverse)
        running = [visible(run, view, text) for run, _ in parts]
        sort_key = sort_key_of(column)
        if sort_key is None or column == "host":
            rows = _in_aria2_order(running, kept.rows, parts, sort_key, reverse)
            order: list[object] = [d.key for run in running for d in run]
        else:
            extra = sort_downloads([d for run in running for d in run], column, reverse)
            rows, places = _merge(kept.merged, extra, sort_key, reverse)
            order = [*(d.key for d in extra), *places]
        self.same_order = self.reused and order == self._last_order
        self._last_order = order
        return rows

    def prepare(
        self,
        parts: Parts,
        view: View | None = None,
        text: str = "",
        sorts: Sequence[tuple[str, bool]] = (),
    ) -> bool:
        """Work out ahead what a change of the sort needs (call it when idle): the order
        that breaks ties, then the listed rows of one of ``sorts`` (the columns ``<``,
        ``>`` and ``I`` would give) not worked out yet. True while some are left: call
        it again (one at a time, so that a key never waits for all of them)."""
        self.matches.by_tie([listed for _, listed in parts])
        lists = tuple(listed for _, listed in parts)
        self._ahead = {
            how: kept for how, kept in self._ahead.items() if same_objects(kept.lists, lists)
        }
        if view is None:
            return False
        left = [
            how
            for column, reverse in sorts
            if (how := (view, text, column, reverse)) not in self._ahead
            and (self._kept is None or self._kept.how != how)
        ]
        if left:
            self._ahead[left[0]] = self._work_out(parts, lists, left[0])
        return len(left) > 1

    def _listed_rows(
        self, parts: Parts, view: View, text: str, column: str, reverse: bool
    ) -> _Kept:
        lists = tuple(listed for _, listed in parts)
        how = (view, text, column, reverse)
        kept = self._kept
        self.reused = kept is not None and kept.how == how and same_objects(kept.lists, lists)
        if kept is not None and self.reused:
            return kept
        ahead = self._ahead.pop(how, None)
        if ahead is not None and same_objects(ahead.lists, lists):
            self._kept = ahead
            return ahead
        self._kept = self._work_out(parts, lists, how)
        return self._kept

    def _work_out(
        self, parts: Parts, lists: tuple[Sequence[Download], ...], how: tuple[object, ...]
    ) -> _Kept:
        """The listed rows of the view, filter and sort ``how``."""
        view, text, column, reverse = how
        assert isinstance(view, View) and isinstance(text, str) and isinstance(column, str)
        sort_key = sort_key_of(column)
        statuses = view.statuses
        rows = [
            list(found)
            if len(statuses) == len(Status)
            else [d for d in found if d.status in statuses]
            for found in (self.matches.matching(listed, text) for _, listed in parts)
        ]
        merged: list[Download] = []
        if sort_key is not None and column != "host":
            by_tie = self.matches.by_tie([listed for _, listed in parts])
            if sum(len(part) for part in rows) < len(by_tie):
                wanted = {id(d) for part in rows for d in part}
                by_tie = [d for d in by_tie if id(d) in wanted]
            merged = sort_by_column(by_tie, column, bool(reverse))  # ties stay in order
        return _Kept(lists, how, rows, merged)


def _in_aria2_order(
    running: list[list[Download]],
    listed: list[list[Download]],
    parts: Parts,
    sort_key: SortKey | None,
    reverse: bool,
) -> list[Download]:
    """aria2's own order (daemon after daemon, running then listed), reversed; or by
    host: the daemons' blocks sorted by name, each in aria2's order."""
    blocks = [run + rows for run, rows in zip(running, listed, strict=True)]
    if sort_key is not None:  # by host: a block's downloads share their host
        named = [
            (sort_key(run[0] if run else rows[0]), block)
            for (run, rows), block in zip(parts, blocks, strict=True)
            if block and (run or rows)
        ]
        named.sort(key=lambda pair: pair[0], reverse=reverse)
        return [d for _, block in named for d in block]
    rows = blocks[0] if len(blocks) == 1 else list(itertools.chain.from_iterable(blocks))
    return rows[::-1] if reverse else rows


def _merge(
    base: list[Download], extra: list[Download], sort_key: SortKey, reverse: bool
) -> tuple[list[Download], list[int]]:
    """``extra`` (sorted) put into ``base`` (sorted) where a sort of both together puts
    them: a binary search each (a few sort keys worked out), then one copy. Also
    where each went in ``base``."""
    if not extra or not base:
        return [*base, *extra], [len(base)] * len(extra)
    out: list[Download] = []
    places: list[int] = []
    start = 0
    for download in extra:
        rank = (sort_key(download), tie_key(download))
        low, high = start, len(base)
        while low < high:  # the first base row that comes after ``download``
            middle = (low + high) // 2
            other = base[middle]
            if _before((sort_key(other), tie_key(other)), rank, reverse):
                low = middle + 1
            else:
                high = middle
        out.extend(base[start:low])
        out.append(download)
        places.append(low)
        start = low
    out.extend(base[start:])
    return out, places


def _before(
    a: tuple[tuple[int, float | str], tuple[object, ...]],
    b: tuple[tuple[int, float | str], tuple[object, ...]],
    reverse: bool,
) -> bool:
    """Whether a row ranked ``a`` comes before one ranked ``b``: by the column (largest
    first when ``reverse``), ties by :func:`tie_key`, always ascending."""
    if a[0] != b[0]:
        return (a[0] > b[0]) if reverse else (a[0] < b[0])
    return a[1] < b[1]


class StatusTally:
    """Per status: how many downloads there are, and how many match the filter; the
    listed downloads' tallies are kept while they are the same tuples."""

    def __init__(self, matches: ListedMatches | None = None) -> None:
        self._kept: dict[tuple[int, str], _Tally] = {}
        self._matches = matches or ListedMatches()

    def view_counts(self, parts: Parts, filter_text: str) -> dict[View, tuple[int, int]]:
        """Per view: (rows that match the filter, rows in all)."""
        test = matcher(filter_text)
        every: Counter[object] = Counter()
        matching: Counter[object] = Counter()
        kept: dict[tuple[int, str], _Tally] = {}
        for running, listed in parts:
            key = (id(listed), filter_text)
            tally = self._kept.get(key)
            if tally is None or tally[0] is not listed:
                found = self._matches.matching(listed, filter_text) if test else []
                tally = (listed, *_tally(listed, found))
            kept[key] = tally
            run_every, run_matching = _tally(
                running, [d for d in running if test(d)] if test else []
            )
            every.update(tally[1])
            every.update(run_every)
            matching.update(tally[2])
            matching.update(run_matching)
        self._kept = kept
        shown = every if test is None else matching
        return {
            view: (
                sum(shown[status] for status in view.statuses),
                sum(every[status] for status in view.statuses),
            )
            for view in View
        }


def _tally(
    downloads: Sequence[Download], matched: Sequence[Download]
) -> tuple[Counter[object], Counter[object]]:
    """(the count per status of ``downloads``, and of ``matched``, those of them the
    filter keeps)."""
    return Counter(d.status for d in downloads), Counter(d.status for d in matched)
