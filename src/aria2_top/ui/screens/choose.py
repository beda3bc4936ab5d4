"""Pick one item from a short list (the sort column, a daemon, what to copy...)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aria2_top.ui.focus import focus_now


class ChooseScreen(ModalScreen[str | None]):
    """Dismisses with the chosen option's id, or None on Esc."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="aria2-top.choose.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="aria2-top.choose.down"),
        Binding("k", "move(-1)", "Up", show=False, id="aria2-top.choose.up"),
    ]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        current: str,
        note: Text | None = None,
        *,
        keys: dict[str, str] | None = None,
    ) -> None:
        """``note``: what the choice is about, shown above the options; ``keys``: a key
        that picks an option at once (key -> option id)."""
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.note = note
        self.keys = keys or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "Enter chooses · Esc cancels"
            if self.note is not None:
                yield Static(self.note, id="choose-note", markup=False)
            yield OptionList(*(Option(label, id=key) for key, label in self.options))

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        keys = [key for key, _ in self.options]
        if self.current in keys:
            option_list.highlighted = keys.index(self.current)
        focus_now(option_list)

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def on_key(self, event: events.Key) -> None:
        if event.key in self.keys:
            event.stop()
            self.dismiss(self.keys[event.key])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
