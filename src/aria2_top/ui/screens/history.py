"""7: the history of downloads (what every daemon had, when it was added and ended),
searchable and sortable, with "add again"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from aria2_top.model import format as fmt
from aria2_top.model.columns import number_key
from aria2_top.storage.history_file import Record
from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone

MAX_ROWS = 2000
"""Rows shown at most (the newest, or first in the sort): a search narrows them."""
NAME_WIDTH = 48
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
    sort_key: Callable[[Record], tuple[int, float | str]]
    largest_first: bool = False


COLUMNS = (
    HistoryColumn("added", "Added", lambda r: number_key(r.added), True),
    HistoryColumn("ended", "Finished", lambda r: number_key(r.ended), True),
    HistoryColumn("status", "Status", lambda r: (0, r.status)),
    HistoryColumn("size", "Size", lambda r: number_key(r.size), True),
    HistoryColumn("name", "Name", lambda r: (0, r.name.casefold())),
    HistoryColumn("daemon", "Daemon", lambda r: (0, r.daemon.casefold())),
    HistoryColumn("source", "Source or error", lambda r: (0, r.source)),
)


def matching(records: list[Record], needle: str) -> list[Record]:
    """The records whose name, source, error, folder, daemon or GID hold every word."""
    words = needle.casefold().split()
    if not words:
        return records
    found = []
    for record in records:
        text = " ".join(
            (
                record.name,
                record.source,
                record.error,
                record.folder,
                record.daemon,
                record.gid,
                record.note,
            )
        ).casefold()
        if all(word in text for word in words):
            found.append(record)
    return found


class HistoryScreen(ModalScreen[Record | None]):
    """``records`` gives every record (called on open and as the search changes).
    Dismisses with the record to add again, or None."""

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

    def __init__(
        self, records: Callable[[], list[Record]], problem: str | None = None, *, fleet: bool
    ) -> None:
        """``fleet``: several daemons are shown (each record names its daemon)."""
        super().__init__()
        self.records = records
        self.columns = [c for c in COLUMNS if fleet or c.key != "daemon"]
        self.problem = problem
        self.sort = "added"
        self.reverse = True
        self.shown: list[Record] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "History"
            dialog.border_subtitle = (
                "/ search · < > sort · I invert · a or Enter adds again · Esc closes"
            )
            with Horizontal(id="history-top"):
                yield Input(placeholder="search names, sources, errors…", id="history-search")
                yield Static("", id="history-count", markup=False)
            table: DataTable[Text] = DataTable(id="history-table", cursor_type="row")
            for column in self.columns:
                # A long name is cut (the search finds it whole): the source or error
                # stays on screen.
                width = NAME_WIDTH if column.key == "name" else None
                table.add_column(column.label, key=column.key, width=width)
            yield table

    def on_mount(self) -> None:
        self.fill()
        focus_now(self.query_one("#history-search", Input))

    @on(Input.Changed, "#history-search")
    def _on_search(self) -> None:
        self.fill()

    @on(Input.Submitted, "#history-search")
    def _on_search_done(self) -> None:
        focus_now(self.query_one(DataTable))

    def fill(self) -> None:
        everything = self.records()
        found = matching(everything, self.query_one("#history-search", Input).value)
        column = next(c for c in COLUMNS if c.key == self.sort)
        keys = [(column.sort_key(record), record) for record in found]
        known = [(key, r) for key, r in keys if key[0] == 0]  # no value: last, both ways
        known.sort(key=lambda pair: pair[0], reverse=self.reverse)
        found = [r for _, r in known] + [r for key, r in keys if key[0] != 0]
        self.shown = found[:MAX_ROWS]
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        for record in self.shown:
            table.add_row(*self._cells(record), key=f"{record.daemon}/{record.gid}")
        count = f"{len(found):,} of {len(everything):,}"
        if len(found) > MAX_ROWS:
            count += f" (first {MAX_ROWS:,})"
        arrow = "▼" if self.reverse else "▲"
        count += f" · sort: {column.label} {arrow}"
        if self.problem:
            count += f" · {self.problem}"
        self.query_one("#history-count", Static).update(count)
        if not self.shown:
            empty = "nothing recorded yet" if not everything else "no match"
            blank = [Text("") for _ in self.columns]
            blank[[c.key for c in self.columns].index("name")] = Text(empty, style="dim")
            table.add_row(*blank)

    def _cells(self, record: Record) -> list[Text]:
        status = Text(record.status, style=tone(STATUS_TONE.get(record.status, "")))
        where = fmt.safe_text(record.error or record.source)
        if record.note:
            where = fmt.safe_text(record.note) + (f" · {where}" if where else "")
        cells = {
            "added": Text(fmt.full_moment(record.added)[:16], style="dim"),
            "ended": Text(fmt.full_moment(record.ended)[:16], style="dim"),
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
