"""The last lines of a log (the private aria2c's, from the Daemons screen), scrolled
to its end; the lines come already made safe to show (masked, escaped)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Log, Static

from aria2_top.ui.focus import focus_now


class LogScreen(ModalScreen[None]):
    """``lines`` of the log at ``where`` (plain text: no markup is read in them)."""

    DEFAULT_CSS = """
    LogScreen #dialog {
        width: 95%;
        height: 90%;
        padding: 0 1;
    }
    LogScreen Log {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="aria2-top.log.close"),
        Binding("j", "scroll(1)", "Down", show=False, id="aria2-top.log.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="aria2-top.log.up"),
    ]

    def __init__(self, title: str, where: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.where = where
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "↑ ↓ PgUp PgDn scroll · Esc closes"
            shown = f"the last {len(self.lines)} lines of {self.where}"
            yield Static(Text(shown, style="dim"), id="log-where", markup=False)
            yield Log(id="log-lines", highlight=False, auto_scroll=True)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.write_lines(self.lines or ["(empty)"])
        focus_now(log)

    def action_scroll(self, step: int) -> None:
        log = self.query_one(Log)
        log.scroll_relative(y=step, animate=False)
