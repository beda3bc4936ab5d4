"""7: the history of downloads (what every daemon had, when it was added and ended),
searchable and sortable, with "add again".

The history may hold a million records: the screen reads a page at a time from a
:class:`~aria2_top.storage.history_search.HistoryView` (the first when it opens and
as the search changes, the next as the cursor or the scroll nears the end of what is
loaded; Ctrl+End reads the last) and counts the matches with one query. Each key
of the search is answered with its first page at once; a count that reads every
record (words of one or two characters) is made in a thread and shown when it comes
(such words found on few of the newest records: those rows at once, the rest of the
page with the count), rows that did not change are not drawn again and the rows are
drawn as plain text (:class:`~aria2_top.ui.widgets.plain_rows_table.PlainRowsTable`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowKey

from aria2_top.model import format as fmt
from aria2_top.model.lineage import upload_words
from aria2_top.storage.history_file import Record
from aria2_top.storage.history_search import HistoryView
from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.plain_rows_table import PlainRowsTable
from aria2_top.ui.workers import ReportsWorkerErrors, in_worker

PAGE = 100
"""Rows read at a time."""
LOADED_MAX = 1000
"""Rows held by the table at most: past them, it holds the two pages around the cursor."""
MARGIN = 20
"""Rows left below the cursor (or the scroll) when the next page is read."""
NAME_WIDTH = 48
"""Cells of the name at most: the source or error takes the rest."""
FRAME_CELLS = 6
"""Cells of the dialog's border and padding and the table's scrollbar."""
FIXED_CELLS = {"status": 8, "size": 7, "daemon": 12}
LONG_TIME, SHORT_TIME = 16, 11
"""``2026-11-30 16:00``; ``11-30 16:00`` when the line is short of room."""
STATUS_TONE = {
    "complete": "done",
    "seeding": "note",
    "error": "bad",
    "active": "good",
    "deleted": "warn",
}


@dataclass(frozen=True, slots=True)
class HistoryColumn:
    key: str
    label: str
    largest_first: bool = False
    """Its first sort is largest first (the storage sorts: history_search.order_by)."""


COLUMNS = (
    HistoryColumn("added", "Added", True),
    HistoryColumn("ended", "Finished", True),
    HistoryColumn("status", "Status"),
    HistoryColumn("size", "Size", True),
    HistoryColumn("name", "Name"),
    HistoryColumn("daemon", "Daemon"),
    HistoryColumn("source", "Source or error"),
)


class HistoryTable(PlainRowsTable):
    """The rows (drawn as plain text: :class:`PlainRowsTable`): Ctrl+Home and Ctrl+End
    go to the first and the last record, not only to the first and last rows read."""

    def __init__(self, to_edge: Callable[[bool], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.to_edge = to_edge

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Nothing to measure: every column has its width and every row one line
        (Textual measures each cell of each new row, a third of a search key's time)."""
        super()._update_dimensions(())

    def action_scroll_top(self) -> None:
        self.to_edge(False)

    def action_scroll_bottom(self) -> None:
        self.to_edge(True)


class HistoryScreen(ReportsWorkerErrors, ModalScreen[Record | None]):
    """``view`` reads the history a page at a time. Dismisses with the record to add
    again, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="aria2-top.history.close"),
        Binding("slash", "search", "Search", id="aria2-top.history.search"),
        Binding("less_than_sign", "shift_sort(-1)", "Sort ←", id="aria2-top.history.sort-prev"),
        Binding("greater_than_sign", "shift_sort(1)", "Sort →", id="aria2-top.history.sort-next"),
        Binding("I", "invert", "Invert sort", id="aria2-top.history.invert"),
        Binding("a", "add_again", "Add again", id="aria2-top.history.add-again"),
        Binding("j", "cursor(1)", "Down", show=False, id="aria2-top.history.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="aria2-top.history.up"),
    ]

    def __init__(self, view: HistoryView, problem: str | None = None, *, fleet: bool) -> None:
        """``fleet``: several daemons are shown (each record names its daemon)."""
        super().__init__()
        self.view = view
        self.columns = [c for c in COLUMNS if fleet or c.key != "daemon"]
        self.problem = problem
        self.sort = "added"
        self.reverse = True
        self.shown: list[Record] = []
        """The rows read into the table (records :attr:`start` to ``start + len``)."""
        self.start = 0
        self.found = 0
        """The records that match the search (while :attr:`counting`: at least)."""
        self.counting = False
        """The count of the matches is being made in a thread."""
        self.searching = False
        """The first page is being read in a thread (its first rows are shown)."""
        self.total = 0
        self._counted: tuple[str, int, int] | None = None
        """The last count made in a thread: the search, the total then, the count."""
        self._placeholder: str | None = None
        """The line shown in place of rows (None: the rows of :attr:`shown`)."""
        self._drawn = False
        """Whether the table holds :attr:`shown` (or the placeholder) from :attr:`start`."""
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "History"
            dialog.border_subtitle = (
                "/ search · < > sort · I invert · a or Enter adds again · Esc closes"
            )
            with Horizontal(id="history-top"):
                yield Input(placeholder="search names, sources, errors…", id="history-search")
                yield Static("", id="history-count", markup=False)
            table = HistoryTable(self.to_edge, id="history-table", cursor_type="row")
            self._add_columns(table)
            yield table

    def _add_columns(self, table: DataTable[Text]) -> None:
        """The columns, in the cells :func:`history_widths` gives at this width: a
        long name is cut (the search finds it whole), the source or error stays."""
        self._widths = history_widths(self.app.size.width - FRAME_CELLS, self.columns)
        for column in self.columns:
            table.add_column(column.label, key=column.key, width=self._widths[column.key])

    def on_resize(self) -> None:
        if history_widths(self.app.size.width - FRAME_CELLS, self.columns) != self._widths:
            table = self.query_one(HistoryTable)
            table.clear(columns=True)
            self._drawn = False
            self._add_columns(table)
            self._load(self.start, table.cursor_row, max(PAGE, len(self.shown)))

    def on_unmount(self) -> None:
        if self.counting or self.searching:
            self.view.stop_aside()

    def on_mount(self) -> None:
        self.fill()
        focus_now(self.query_one("#history-search", Input))
        self.watch(self.query_one(HistoryTable), "scroll_y", self._on_scrolled, init=False)

    @on(Input.Changed, "#history-search")
    def _on_search(self) -> None:
        self.fill()

    @on(Input.Submitted, "#history-search")
    def _on_search_done(self) -> None:
        focus_now(self.query_one(DataTable))

    @property
    def needle(self) -> str:
        return self.query_one("#history-search", Input).value

    def fill(self) -> None:
        """Show the first page and count the matches (the search or the sort changed):
        what reads every record is done in a thread, after the rows are drawn: a
        count (:meth:`_count_aside`), or the page and its count when the newest
        records hold only its first rows (:meth:`_search_aside`)."""
        if self.counting or self.searching:
            self.view.stop_aside()  # its answer is no longer wanted: the machine is ours
        self.total = self.view.total()
        needle = self.needle
        records, whole = self.view.first_page(needle, self.sort, self.reverse, PAGE)
        self._show(0, 0, records, whole)
        found = self.view.quick_count(needle) if needle.split() else self.total
        if found is None and whole and len(self.shown) < PAGE:
            found = len(self.shown)  # the first page holds every match
        if found is None and self._counted and self._counted[:2] == (needle, self.total):
            found = self._counted[2]
        self.found = len(self.shown) if found is None else found
        self.counting, self.searching = found is None, not whole
        self._show_count()
        if not whole:
            work = partial(self._search_aside, needle, self.sort, self.reverse)
        elif found is None:
            work = partial(self._count_aside, needle)
        else:
            return
        self.call_after_refresh(in_worker, self, work, "history-count", exclusive=True)

    async def _count_aside(self, needle: str) -> None:
        """Count the matches of ``needle`` in a thread; show it if still searched."""
        total = self.total
        found = await asyncio.to_thread(self.view.count_aside, needle)
        if self.counting and needle == self.needle:
            self._counted = (needle, total, found)
            self.found, self.counting = found, False
            self._show_count()

    async def _search_aside(self, needle: str, sort: str, reverse: bool) -> None:
        """Read the first page of ``needle`` and count it in a thread; show them if
        still searched: the rows below those shown (their first), the count."""
        total = self.total
        aside = self.view.search_aside
        records, found = await asyncio.to_thread(aside, needle, sort, reverse, PAGE)
        if not self.searching or (needle, sort, reverse) != (self.needle, self.sort, self.reverse):
            return
        self._counted = (needle, total, found)
        self.found, self.counting, self.searching = found, False, False
        if self._placeholder:
            self._show(0, 0, records)
        elif self.start == 0 and records[: len(self.shown)] == self.shown:
            self._add(records[len(self.shown) :])  # (else: read on meanwhile, or moved)
        self._show_count()

    def _show_count(self) -> None:
        column = next(c for c in COLUMNS if c.key == self.sort)
        more = "+" if self.counting else ""
        count = f"{self.found:,}{more} of {self.total:,}"
        arrow = "▼" if self.reverse else "▲"
        count += f" · sort: {column.label} {arrow}"
        for problem in (self.problem, self.view.problem):
            if problem:
                count += f" · {problem}"
        self.query_one("#history-count", Static).update(count)

    def _page(self, start: int, count: int) -> list[Record]:
        return self.view.page(self.needle, self.sort, self.reverse, start, count)

    def _load(self, start: int, cursor: int, count: int) -> None:
        """Show the records from ``start`` (``count`` of them), the cursor on the
        ``cursor``-th."""
        self._show(start, cursor, self._page(start, count))

    def _show(self, start: int, cursor: int, records: list[Record], whole: bool = True) -> None:
        """Show ``records`` (from ``start``), the cursor on the ``cursor``-th; not
        ``whole``: the rest of them is being read."""
        table = self.query_one(HistoryTable)
        empty = None if records else "nothing recorded yet" if not self.total else "no match"
        if not records and not whole:
            empty = "searching older records…"
        held = (self.start, self.shown, self._placeholder)
        if not self._drawn or held != (start, records, empty):  # else: drawn already
            table.clear()
            self.start, self.shown, self._placeholder = start, [], empty
            self._add(records)
            if empty:
                blank = [Text("") for _ in self.columns]
                column, words = self._placeholder_cell(empty)
                blank[column] = Text(words, style="dim")
                table.add_row(*blank)
            self._drawn = True
        table.move_cursor(row=min(cursor, max(0, len(self.shown) - 1)), animate=False)

    def _placeholder_cell(self, text: str) -> tuple[int, str]:
        """Where the line shown in place of rows goes, and in which words: under Name
        when it fits there, else in the widest column; its short words only when the
        full ones fit nowhere (at 80 columns: "nothing yet", not "nothing reco")."""
        keys = [c.key for c in self.columns]
        widest = max(range(len(keys)), key=lambda i: self._widths.get(keys[i], 0))
        for words in (text, SHORT_PLACEHOLDERS.get(text, text)):
            for column in (keys.index("name"), widest):
                if self._widths.get(keys[column], 0) >= len(words):
                    return column, words
        return widest, SHORT_PLACEHOLDERS.get(text, text)

    def _add(self, records: list[Record]) -> None:
        self.shown += records
        self.query_one(HistoryTable).add_rows(self._cells(record) for record in records)

    def _more(self) -> None:
        """The next page, below what is shown (the cursor or the scroll nears its end)."""
        end = self.start + len(self.shown)
        if not self.shown or self.searching or (end >= self.found and not self.counting):
            return  # (searching: the rest of the page is on its way)
        if len(self.shown) + PAGE <= LOADED_MAX:
            self._add(self._page(end, PAGE))
            return
        table = self.query_one(HistoryTable)
        at = self.start + table.cursor_row
        start = end - PAGE
        self._load(start, at - start, 2 * PAGE)

    def _earlier(self) -> None:
        """The page above what is shown (the cursor or the scroll at its top)."""
        if self.start <= 0:
            return
        table = self.query_one(HistoryTable)
        before = self.start
        at, top = before + table.cursor_row, table.scroll_y
        start = max(0, before - PAGE)
        self._load(start, at - start, 2 * PAGE)
        table.scroll_to(y=top + before - start, animate=False)

    def to_edge(self, end: bool) -> None:
        """Ctrl+Home, Ctrl+End: the first or the last record."""
        if not end:
            self._load(0, 0, PAGE)
            return
        if self.counting:  # the last is wanted now
            self.found, self.counting = self.view.count(self.needle), False
            self._show_count()
        start = max(0, self.found - PAGE)
        self._load(start, self.found - 1 - start, PAGE)

    @on(DataTable.RowHighlighted, "#history-table")
    def _on_cursor(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        if row != self.query_one(HistoryTable).cursor_row:
            return  # from before the rows were read again
        if row >= len(self.shown) - MARGIN:
            self._more()
        elif row == 0 and self.start > 0:
            self._earlier()

    def _on_scrolled(self, y: float) -> None:
        """The wheel or the scroll bar near the end of what is read: read on."""
        table = self.query_one(HistoryTable)
        if y + table.scrollable_content_region.height >= len(self.shown) - MARGIN:
            self._more()

    def _cells(self, record: Record) -> list[Text]:
        status = Text(record.status, style=tone(STATUS_TONE.get(record.status, "")))
        where = fmt.safe_text(record.error or record.source)
        if record.note:
            where = fmt.safe_text(record.note) + (f" · {where}" if where else "")
        if upload := upload_words(record.uploaded, record.size):  # model/lineage.py
            where = upload + (f" · {where}" if where else "")
        cells = {
            "added": Text(_moment(record.added, self._widths["added"]), style="dim"),
            "ended": Text(_moment(record.ended, self._widths["ended"]), style="dim"),
            "status": status,
            "size": Text(fmt.size(record.size) if record.size else "", justify="right"),
            "name": Text(fmt.safe_text(record.name), no_wrap=True, overflow="ellipsis"),
            "daemon": Text(fmt.safe_text(record.daemon), style="dim"),
            "source": Text(where, style=tone("bad") if record.error else "dim"),
        }
        return [cells[column.key] for column in self.columns]

    def action_search(self) -> None:
        focus_now(self.query_one("#history-search", Input))

    def action_shift_sort(self, step: int) -> None:
        keys = [c.key for c in self.columns]
        column = self.columns[(keys.index(self.sort) + step) % len(keys)]
        self.sort, self.reverse = column.key, column.largest_first
        self.fill()

    @on(DataTable.HeaderSelected, "#history-table")
    def _on_header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; on the sorted one, inverts."""
        key = str(event.column_key.value)
        if key == self.sort:
            self.reverse = not self.reverse
        else:
            column = next(c for c in self.columns if c.key == key)
            self.sort, self.reverse = column.key, column.largest_first
        self.fill()

    def action_invert(self) -> None:
        self.reverse = not self.reverse
        self.fill()

    def action_cursor(self, step: int) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    @on(DataTable.RowSelected, "#history-table")
    def _on_row_chosen(self) -> None:
        self.action_add_again()

    def action_add_again(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        if not 0 <= row < len(self.shown):
            return
        record = self.shown[row]
        if not record.source:
            self.notify("nothing to add it again from: aria2 gave no URI", severity="warning")
            return
        self.dismiss(record)


SHORT_PLACEHOLDERS = {
    "nothing recorded yet": "nothing yet",
    "searching older records…": "searching…",
}
"""The words in place of rows where the full ones fit in no column."""


def history_widths(width: int, columns: list[HistoryColumn]) -> dict[str, int]:
    """Cells of each column in a table ``width`` cells wide: the times whole when
    the line has room for them (else without the year), the name and the source or
    error sharing the rest (the name two fifths, at most :data:`NAME_WIDTH`)."""
    keys = [column.key for column in columns]
    padding = 2 * len(keys)
    fixed = sum(FIXED_CELLS.get(key, 0) for key in keys)
    # Whole times only once the name has all it may take beside them: a wider screen
    # never narrows the name.
    long_rest = width - padding - fixed - 2 * LONG_TIME
    time_cells = LONG_TIME if long_rest * 2 // 5 >= NAME_WIDTH else SHORT_TIME
    widths = {key: FIXED_CELLS.get(key, time_cells) for key in keys}
    rest = width - padding - fixed - 2 * time_cells
    widths["name"] = max(12, min(NAME_WIDTH, rest * 2 // 5))
    widths["source"] = max(10, rest - widths["name"])
    return widths


def _moment(when: float | None, cells: int) -> str:
    """A time in ``cells`` cells: ``2026-11-30 16:00``, or ``11-30 16:00``."""
    return fmt.full_moment(when)[LONG_TIME - cells : LONG_TIME]
