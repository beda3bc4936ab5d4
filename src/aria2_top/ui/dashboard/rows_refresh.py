"""The rows: from the daemons' last snapshots and the view, sort and filter to the
table's rows, the two bars' counts and the view line; when to show new data (at
once with one daemon, one sort and draw for several daemons' snapshots of a beat);
and the sort orders worked out ahead while no key comes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.timer import Timer

from aria2_top.model.columns import first_direction
from aria2_top.model.downloads import Download
from aria2_top.model.rows import RowOrder, StatusTally, parts_of, same_objects
from aria2_top.ui import wording
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.widgets.stats_bar import Counts
from aria2_top.ui.widgets.view_bar import view_text

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

FLEET_SETTLE = 0.1
"""With several daemons, seconds a snapshot waits for the others of the same beat."""
MAX_REFRESH_GAP = 0.5
"""With several daemons, seconds the rows may wait for the other daemons' snapshots
(at most half an interval): one sort and draw for all that came meanwhile."""
QUIET_WORK_DELAY = 1.0
"""Seconds before work done ahead (sort orders) is tried again while keys come."""


class RowsRefresh:
    """Derives the shown rows and hands them to the table and the bars."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._order = RowOrder()
        self._tally = StatusTally(self._order.matches)
        self._lists_known: tuple[tuple[Download, ...], ...] = ((),)
        self._sorts_asked: tuple[object, ...] = ()
        """The view, filter and sort the sorts ahead were last asked for."""
        """The snapshots' lists the table last learnt every download of."""
        self._prepare_timer: Timer | None = None
        self._show_timer: Timer | None = None
        self._last_shown = 0.0
        self._gap = min(screen.settings.interval / 2, MAX_REFRESH_GAP)
        self.seconds = 0.0
        """How long the last refresh took (benchmarks/refresh.py)."""

    def soon(self) -> None:
        """Show the new data: at once with one daemon; with several, after
        :data:`FLEET_SETTLE` and at most every :data:`MAX_REFRESH_GAP` (the rows of all
        are sorted and drawn once for all the snapshots that came meanwhile)."""
        if self._show_timer is not None:
            return  # one is coming: it shows this snapshot too
        screen = self._screen
        if not screen.fleet:
            self._show_snapshots()
            return
        # The daemons are polled on one beat: their snapshots come within moments of
        # each other, and one sort and draw shows them all.
        wait = max(FLEET_SETTLE, self._last_shown + self._gap - time.monotonic())
        self._show_timer = screen.set_timer(wait, self._show_snapshots)

    def _show_snapshots(self) -> None:
        screen = self._screen
        self._show_timer = None
        self._last_shown = time.monotonic()
        screen.refresh_view(follow=screen.cursor.take_next())
        screen.cursor.focus_pending()
        if screen.details_fetcher.is_open:
            screen.details_fetcher.fetch()

    def refresh(self, *, follow: bool) -> None:
        """Re-derive the rows from the last snapshots and the view settings; ``follow``:
        the cursor stays on its download (see :meth:`DownloadsTable.show`)."""
        started = time.perf_counter()
        screen = self._screen
        table = screen.table
        view, filter_text = screen.view, screen.filter_text
        sort, reverse = screen.sort_column, screen.sort_reverse
        downloads = screen.downloads
        parts = parts_of([screen.snapshots.get(s.name) for s in screen.sessions])
        rows = self._order.rows(parts, view, filter_text, sort, reverse)
        screen.shown = rows
        table.set_view(view)
        table.set_sort(sort, reverse)
        table.empty_text = self.empty_text(bool(downloads))
        lists = tuple(listed for _, listed in parts)
        asked = (view, filter_text, sort, reverse)
        if not same_objects(lists, self._lists_known) or asked != self._sorts_asked:
            if not same_objects(lists, self._lists_known):
                # The lists were fetched anew: every download, and how long the queue
                # is (the first rows come before the whole queue: # keeps its width).
                queued = max(
                    (s.stat.num_waiting or 0 for s in screen.snapshots.values()), default=0
                )
                table.know(downloads, queued=queued)
            self._lists_known, self._sorts_asked = lists, asked
            if self._prepare_timer is None:
                self._prepare_timer = screen.set_timer(QUIET_WORK_DELAY, self._prepare_sorts)
        fresh = [d for running, _ in parts for d in running]
        table.show(
            rows,
            screen.selection.tagged,
            follow=follow,
            stale=screen.link_watch.stale_rows(),
            fresh=fresh,
            same_order=self._order.same_order,
            known=True,  # every download was handed to table.know above
        )
        counts = self._tally.view_counts(parts, filter_text)  # for both bars
        stats_counts = Counts.of_views(counts)
        if stats_counts != screen.stats_bar.counts:
            screen.stats_bar.counts = stats_counts
            screen.stats_bar.redraw()
        screen.view_bar.set_text(
            view_text(
                counts,
                view,
                sort,
                reverse,
                filter_text,
                len(screen.selection),
                follow=screen.cursor.follow_mode,
                width=screen.size.width - 2,
            )
        )
        self.seconds = time.perf_counter() - started
        if screen.snapshots:
            app_of(screen).rows_drawn()

    def _prepare_sorts(self) -> None:
        """Work out ahead, while no key comes, what a change of the sort column needs
        (at 100,000 downloads about 0.1 s that would otherwise hold up that key)."""
        screen = self._screen
        if not app_of(screen).idle_gc.quiet_now():
            self._prepare_timer = screen.set_timer(QUIET_WORK_DELAY, self._prepare_sorts)
            return
        self._prepare_timer = None
        parts = parts_of([screen.snapshots.get(s.name) for s in screen.sessions])
        more = self._order.prepare(parts, screen.view, screen.filter_text, self._next_sorts())
        if more:
            self._prepare_timer = screen.set_timer(QUIET_WORK_DELAY, self._prepare_sorts)

    def _next_sorts(self) -> list[tuple[str, bool]]:
        """The sorts ``>``, ``<`` and ``I`` would ask for next."""
        screen = self._screen
        keys = [column.key for column in screen.table.shown_columns] or ["pos"]
        current = keys.index(screen.sort_column) if screen.sort_column in keys else 0
        right, left = keys[(current + 1) % len(keys)], keys[(current - 1) % len(keys)]
        return [
            (right, first_direction(right)),
            (left, first_direction(left)),
            (screen.sort_column, not screen.sort_reverse),
        ]

    def empty_text(self, has_downloads: bool) -> str:
        """What an empty table says: why it is empty, and what to do."""
        screen = self._screen
        return wording.empty_table(
            [s.status for s in screen.sessions],
            answered=bool(screen.snapshots),
            has_downloads=has_downloads,
            view_label=screen.view.label,
            filter_text=screen.filter_text,
        )
