"""Ask for one value, checked before it is accepted."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from aria2_top.ui.focus import focus_now
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.ordered_input import OrderedInput

Validator = Callable[[str], str | None]
"""Returns an error in words, or None when the value is fine."""


class InputDialog(ModalScreen[str | None]):
    """Dismisses with the entered text, or None on Esc."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="aria2-top.input-dialog.cancel")]

    def __init__(
        self,
        title: str,
        prompt: Text,
        value: str,
        validate: Validator | None = None,
        secret: bool = False,
    ) -> None:
        """``secret``: what is typed shows as dots (a password)."""
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.validate = validate
        self.secret = secret

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "Enter to set · Esc to cancel"
            yield Static(self.prompt, markup=False)
            yield OrderedInput(value=self.value, id="value", password=self.secret)
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        focus_now(self.query_one(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.validate(event.value) if self.validate else None
        if error:
            self.query_one("#error", Static).update(Text(error, style=tone("bold bad")))
            return
        self.dismiss(event.value)
