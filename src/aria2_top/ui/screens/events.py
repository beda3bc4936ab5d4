"""e: the event log, newest first (starts, ends, failures, daemons answering or
not), under each daemon's last link error in full."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from aria2_top.model.events import Event, EventKind
from aria2_top.model.format import safe_text
from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone

REFRESH_SECONDS = 1.0
KIND_STYLE = {
    EventKind.STARTED: "note",
    EventKind.FINISHED: "good",
    EventKind.FAILED: "bold bad",
    EventKind.CONNECTED: "good",
    EventKind.LOST: "bold warn",
    EventKind.DELETED: "warn",
    EventKind.HOOK: "note",
    EventKind.WATCH: "note",
    EventKind.TURTLE: "warn",
    EventKind.STREAM: "note",
}


class EventsScreen(ModalScreen[None]):
    """``events`` gives the log newest first and ``errors`` each daemon's last link
    error (both called every second, so the screen follows what happens)."""

    BINDINGS = [
        Binding("escape,e,q", "dismiss(None)", "Close", id="aria2-top.events.close"),
        Binding("j", "cursor(1)", "Down", show=False, id="aria2-top.events.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="aria2-top.events.up"),
    ]

    def __init__(
        self, events: Callable[[], list[Event]], errors: Callable[[], list[str]], fleet: bool
    ) -> None:
        super().__init__()
        self.events = events
        self.errors = errors
        self.fleet = fleet
        self._shown = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Events"
            dialog.border_subtitle = "newest first · Esc closes"
            yield Static("", id="events-errors", markup=False)
            table: DataTable[Text] = DataTable(id="events-table", cursor_type="row")
            table.add_column("Time", key="time")
            if self.fleet:
                table.add_column("Daemon", key="daemon")
            table.add_column("Event", key="kind")
            table.add_column("Download or words", key="text")
            yield table

    def on_mount(self) -> None:
        self.fill()
        focus_now(self.query_one(DataTable))
        self.set_interval(REFRESH_SECONDS, self.fill)

    def fill(self) -> None:
        errors = self.errors()
        text = (
            Text("\n".join(errors), style=tone("bad")) if errors else Text("no link error", "dim")
        )
        self.query_one("#events-errors", Static).update(text)
        events = self.events()
        if len(events) == self._shown:
            return
        self._shown = len(events)
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        if not events:
            table.add_row(
                *self._cells("", "", "nothing yet: starts, ends and link changes show here")
            )
        for event in events:
            clock = time.strftime("%H:%M:%S", time.localtime(event.at))
            table.add_row(*self._cells(clock, event.daemon, event.text, event.kind))

    def _cells(
        self, clock: str, daemon: str, text: str, kind: EventKind | None = None
    ) -> list[Text]:
        cells = [Text(clock, style="dim")]
        if self.fleet:
            cells.append(Text(safe_text(daemon), style="bold"))
        cells.append(Text(kind or "", style=tone(KIND_STYLE.get(kind, ""))) if kind else Text(""))
        cells.append(Text(safe_text(text)))
        return cells

    def action_cursor(self, step: int) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))
