"""Download and upload limits in human units, for the daemon or for downloads."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from aria2_top.core.units import UnitError, format_bytes, parse_bytes


class LimitsDialog(ModalScreen[tuple[int, int] | None]):
    """Dismisses with (↓, ↑) in bytes per second (0: unlimited), or None on Esc."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, about: str, down: int, up: int) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.down, self.up = down, up

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "Enter sets · Esc cancels"
            yield Static(Text(self.about), markup=False)
            yield Static(
                Text("0 or empty: no limit. Units K, M, G: 500K, 2.5M.", style="dim"), markup=False
            )
            yield Label("↓ download limit")
            yield Input(format_bytes(self.down), id="limit-down")
            yield Label("↑ upload limit")
            yield Input(format_bytes(self.up), id="limit-up")
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#limit-down", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            down = parse_bytes(self.query_one("#limit-down", Input).value)
            up = parse_bytes(self.query_one("#limit-up", Input).value)
        except UnitError as exc:
            self.query_one("#error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss((down, up))
