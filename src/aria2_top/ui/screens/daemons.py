"""D: every daemon in the view, one line each (state, version, speeds, limits,
counts, last error), kept up to date; L or Enter sets one daemon's global limits;
s saves its session, v shows its log, R restarts it and X shuts it down (asks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from aria2_top.live.fleet import DaemonRow
from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone

REFRESH_SECONDS = 1.0
HEADERS = (
    ("name", "Daemon"),
    ("state", "State"),
    ("version", "aria2"),
    ("down", "↓"),
    ("up", "↑"),
    ("limits", "Limits"),
    ("counts", "Act/Queue/Stop"),
    ("error", "Last error"),
)
STATE_STYLE = {
    "connected": "good",
    "connecting": "warn",
    "stale": "bold warn",
}
ERROR_WIDTH = 48
"""Characters of the error in the table at most; the line below shows it in full."""
MIN_ERROR_WIDTH = len("Last error")
"""Fewer cells left for the error than this: the table leaves it out (the line below
the table still shows the error of the daemon under the cursor)."""
DIALOG_SHARE = 0.9
"""Of the screen's width the dialog takes at most (``#dialog``'s ``max-width``)."""
FRAME_CELLS = 8
"""Cells of the dialog's border and padding and the table's scrollbar."""
NARROW = 100
"""A screen narrower than this gives the dialog all its width (class ``-narrow``)."""
NARROW_FRAME_CELLS = 6
"""The same, narrow: the dialog's padding is one cell each side."""
KEYS_LINE = "L limits · s save session · v log · R restart · X shut down"


@dataclass(frozen=True, slots=True)
class DaemonActions:
    """What the keys do to the daemon under the cursor (each gets its name)."""

    save_session: Callable[[str], object]
    show_log: Callable[[str], object]
    restart: Callable[[str], object]
    shut_down: Callable[[str], object]


class DaemonsScreen(ModalScreen[str | None]):
    """``rows`` gives the lines to show (called every second). Dismisses with the name
    of the daemon whose global limits to set (L, Enter), or None."""

    BINDINGS = [
        Binding("escape,D,q", "dismiss(None)", "Close", id="aria2-top.daemons.close"),
        Binding("L,l", "limits", "Global limits", id="aria2-top.daemons.limits"),
        Binding("s", "manage('save_session')", "Save session", id="aria2-top.daemons.save"),
        Binding("v", "manage('show_log')", "Log", id="aria2-top.daemons.log"),
        Binding("R", "manage('restart')", "Restart", id="aria2-top.daemons.restart"),
        Binding("X", "manage('shut_down')", "Shut down", id="aria2-top.daemons.shutdown"),
        Binding("j", "cursor(1)", "Down", show=False, id="aria2-top.daemons.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="aria2-top.daemons.up"),
    ]

    def __init__(
        self, rows: Callable[[], list[DaemonRow]], actions: DaemonActions | None = None
    ) -> None:
        super().__init__()
        self.rows = rows
        self.actions = actions
        self._error_cells: int | None = -1
        """The error column's cells (None: left out; -1: no columns yet)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Daemons"
            dialog.border_subtitle = "Esc closes"
            yield DataTable(id="daemons-table", cursor_type="row")
            yield Static("", id="daemons-address", markup=False)
            yield Static(Text(KEYS_LINE, style="dim"), id="daemons-keys", markup=False)

    def on_mount(self) -> None:
        self.fill()
        focus_now(self.query_one(DataTable))
        self.set_interval(REFRESH_SECONDS, self.fill)

    def fill(self) -> None:
        """Show the rows now (the cursor stays on its daemon)."""
        table: DataTable[Text] = self.query_one(DataTable)
        rows = self.rows()
        cursor = table.cursor_row
        width = self.size.width
        self.set_class(width < NARROW, "-narrow")
        if width < NARROW:
            room = width - NARROW_FRAME_CELLS
        else:
            room = int(width * DIALOG_SHARE) - FRAME_CELLS
        cells = error_cells(rows, room)
        if cells != self._error_cells:
            self._error_cells = cells
            table.clear(columns=True)
            for key, label in HEADERS:
                if key != "error":
                    table.add_column(label, key=key)
                elif cells is not None:
                    table.add_column(label, key=key, width=cells)
        table.clear()
        for row in rows:
            cut = cells or 0
            error = row.error if len(row.error) <= cut else row.error[: cut - 1] + "…"
            texts = [
                Text(row.name, style="bold"),
                Text(row.state, style=tone(STATE_STYLE.get(row.state, "bold bad"))),
                Text(row.version),
                Text(row.down, justify="right"),
                Text(row.up, justify="right"),
                Text(row.limits),
                Text(row.counts, justify="right"),
            ]
            if cells is not None:
                texts.append(Text(error, style=tone("bad")))
            table.add_row(*texts, key=row.daemon)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
            self._show_address(rows[table.cursor_row])

    def on_resize(self) -> None:
        self.fill()  # another width: the error column gets other cells

    def _show_address(self, row: DaemonRow) -> None:
        # A daemon with no name of its own is called by its address: say it once.
        words = row.address if row.name == row.address else f"{row.name}: {row.address}"
        text = Text(words, style="dim")
        if row.error:
            text.append(f"\n{row.error}", style=tone("bad"))
        self.query_one("#daemons-address", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        rows = self.rows()
        if 0 <= event.cursor_row < len(rows):
            self._show_address(rows[event.cursor_row])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._limits_of(str(event.row_key.value))

    def action_limits(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        rows = self.rows()
        if 0 <= table.cursor_row < len(rows):
            self._limits_of(rows[table.cursor_row].daemon)

    def action_manage(self, what: str) -> None:
        """s, v, R, X: hand the daemon under the cursor to what the key does."""
        table: DataTable[Text] = self.query_one(DataTable)
        rows = self.rows()
        if self.actions is not None and 0 <= table.cursor_row < len(rows):
            getattr(self.actions, what)(rows[table.cursor_row].daemon)

    def action_cursor(self, step: int) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def _limits_of(self, name: str) -> None:
        self.dismiss(name)


def error_cells(rows: list[DaemonRow], room: int) -> int | None:
    """Cells of the error column when the table may take ``room`` cells: what the
    other columns leave (at most what the longest error needs, at most
    :data:`ERROR_WIDTH`); None when that is less than :data:`MIN_ERROR_WIDTH`."""
    texts = [
        (row.name, row.state, row.version, row.down, row.up, row.limits, row.counts) for row in rows
    ]
    others = 0
    for index, (_, label) in enumerate(HEADERS[:-1]):
        others += max([cell_len(label)] + [cell_len(t[index]) for t in texts]) + 2
    left = room - others - 2
    longest = max([MIN_ERROR_WIDTH] + [cell_len(row.error) for row in rows])
    return None if left < MIN_ERROR_WIDTH else min(left, longest, ERROR_WIDTH)
