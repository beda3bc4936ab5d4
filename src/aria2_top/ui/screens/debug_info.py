"""F12: debug info: versions, where the files and the debug log are, and per daemon
its address (never its secret), aria2's version, its links and the poller's timings;
kept up to date every second. ``y`` copies it all, for a bug report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aria2_top.ui.debug_report import DebugInfo
from aria2_top.ui.focus import focus_now

REFRESH_SECONDS = 1.0
NOTE = "No secret is shown here: y copies this text for a bug report."


def devtools_state(app: App[Any]) -> str:
    """Textual's devtools in words: off, or whether they reach ``textual console``."""
    if "devtools" not in app.features:
        return "off: run with --debug"
    if app.devtools is None:
        return "on, but textual-dev is not installed"
    if app.devtools.is_connected:
        return "connected to textual console"
    return "not connected: run textual console first"


def info_view(info: DebugInfo) -> Group:
    """Each section's title over its rows, a label and its value (which wraps); the
    labels of every section in one column."""
    width = max((len(label) for s in info.sections for label, _ in s.rows), default=0)
    parts: list[RenderableType] = []
    for section in info.sections:
        if parts:
            parts.append(Text(""))
        parts.append(Text(section.title, style="bold underline"))
        rows = Table.grid(padding=(0, 2))
        rows.add_column(style="bold cyan", no_wrap=True, min_width=width)
        rows.add_column(overflow="fold")
        for label, value in section.rows:
            rows.add_row(Text(label), Text(value))
        parts.append(rows)
    parts += [Text(""), Text(NOTE, style="dim")]
    return Group(*parts)


class DebugInfoScreen(ModalScreen[None]):
    """``collect`` gives what to show (called every second, so the timings move)."""

    BINDINGS = [
        Binding("escape,q,f12", "dismiss(None)", "Close", id="aria2-top.debug-info.close"),
        Binding("j", "scroll(1)", "Down", show=False, id="aria2-top.debug-info.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="aria2-top.debug-info.up"),
        Binding("y", "copy", "Copy", show=False, id="aria2-top.debug-info.copy"),
    ]

    def __init__(self, collect: Callable[[], DebugInfo]) -> None:
        super().__init__()
        self.collect = collect
        self.info: DebugInfo | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = "Debug info"
            dialog.border_subtitle = "y copies · Esc closes"
            yield Static("", id="debug-info", markup=False)

    def on_mount(self) -> None:
        self.fill()
        dialog = self.query_one("#dialog", VerticalScroll)
        focus_now(dialog)
        self.watch(dialog, "scroll_y", self._say_if_it_scrolls, init=False)
        self.set_interval(REFRESH_SECONDS, self.fill)

    def fill(self) -> None:
        self.info = self.collect()
        self.query_one("#debug-info", Static).update(info_view(self.info))
        self.call_after_refresh(self._say_if_it_scrolls)

    def _say_if_it_scrolls(self) -> None:
        dialog = self.query_one("#dialog", VerticalScroll)
        more = "↓ PgDn: more · " if dialog.scroll_y < dialog.max_scroll_y else ""
        dialog.border_subtitle = f"{more}y copies · Esc closes"

    def action_scroll(self, lines: int) -> None:
        self.query_one("#dialog", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_copy(self) -> None:
        if self.info is not None:
            self.app.copy_to_clipboard(self.info.text())
            self.notify("debug info copied (it holds no secret)")
