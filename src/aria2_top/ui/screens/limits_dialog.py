"""Download and upload limits in human units, for the daemon or for downloads."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from aria2_top.model.units import UnitError, format_bytes, parse_bytes
from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.ordered_input import OrderedInput

Limits = tuple[int | None, int | None]
"""↓ and ↑ in bytes per second (0: unlimited; None: keep each download's own)."""

DIFFER = "[mixed]: they differ; left empty, each keeps its own"


class LimitsDialog(ModalScreen[Limits | None]):
    """Dismisses with the (↓, ↑) limits, or None on Esc. A limit given as None (the
    downloads' limits differ) starts empty, and empty keeps them as they are."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="aria2-top.limits-dialog.cancel")]

    def __init__(self, title: str, about: str, down: int | None, up: int | None) -> None:
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
            for arrow, words, value, name in (
                ("↓", "download", self.down, "limit-down"),
                ("↑", "upload", self.up, "limit-up"),
            ):
                yield Label(f"{arrow} {words} limit")
                yield OrderedInput(
                    "" if value is None else format_bytes(value),
                    placeholder=DIFFER if value is None else "",
                    id=name,
                )
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        focus_now(self.query_one("#limit-down", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            down = self._limit("#limit-down", self.down)
            up = self._limit("#limit-up", self.up)
        except UnitError as exc:
            self.query_one("#error", Static).update(Text(str(exc), style=tone("bold bad")))
            return
        self.dismiss((down, up))

    def _limit(self, field: str, was: int | None) -> int | None:
        text = self.query_one(field, Input).value
        if was is None and not text.strip():
            return None  # they differed, and the user left them so
        return parse_bytes(text)
