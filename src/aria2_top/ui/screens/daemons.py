"""D: every daemon in the view, one line each (state, version, speeds, limits,
counts, last error), kept up to date; L or Enter sets one daemon's global limits;
s saves its session, v shows its log, R restarts it and X shuts it down (asks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
ERROR_WIDTH = 28
"""Characters of the error in the table; the line below shows it in full."""
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

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Daemons"
            dialog.border_subtitle = "Esc closes"
            table: DataTable[Text] = DataTable(id="daemons-table", cursor_type="row")
            for key, label in HEADERS:
                table.add_column(label, key=key)
            yield table
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
        table.clear()
        for row in rows:
            error = (
                row.error if len(row.error) <= ERROR_WIDTH else row.error[: ERROR_WIDTH - 1] + "…"
            )
            table.add_row(
                Text(row.name, style="bold"),
                Text(row.state, style=tone(STATE_STYLE.get(row.state, "bold bad"))),
                Text(row.version),
                Text(row.down, justify="right"),
                Text(row.up, justify="right"),
                Text(row.limits),
                Text(row.counts, justify="right"),
                Text(error, style=tone("bad")),
                key=row.daemon,
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
            self._show_address(rows[table.cursor_row])

    def _show_address(self, row: DaemonRow) -> None:
        text = Text(f"{row.name}: {row.address}", style="dim")
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
