"""F9: remove downloads, or remove them and delete their files (a local daemon only)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aria2_top.ui.focus import focus_now

REMOVE = "remove"
DELETE = "delete"


class RemoveScreen(ModalScreen[str | None]):
    """Dismisses with :data:`REMOVE`, :data:`DELETE`, or None (n, Esc).

    It opens at once (a key typed right after F9 lands here); deleting is offered once
    :meth:`offer_delete` has said what would go, and never when :meth:`no_delete` said
    why not."""

    BINDINGS = [
        Binding("y", "answer('remove')", "Remove", id="aria2-top.remove-dialog.remove"),
        Binding(
            "d", "answer('delete')", "Remove and delete files", id="aria2-top.remove-dialog.delete"
        ),
        Binding("n,escape", "answer('')", "Cancel", id="aria2-top.remove-dialog.cancel"),
    ]

    def __init__(self, body: Text) -> None:
        super().__init__()
        self.body = body
        self.can_delete = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Remove"
            yield Static(self.body, id="question", markup=False)
            yield Static(Text("looking at the files…", style="dim"), id="files", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Remove (y)", variant="warning", id=REMOVE)
                yield Button(
                    "Remove and delete files (d)", variant="error", id=DELETE, disabled=True
                )
                yield Button("Cancel (n)", variant="primary", id="cancel")

    def offer_delete(self, what: Text) -> None:
        """Say what deleting would remove, and offer it."""
        self.can_delete = True
        self.query_one("#files", Static).update(what)
        self.query_one(f"#{DELETE}", Button).disabled = False

    def no_delete(self, why: Text) -> None:
        """Say why deleting files is not offered here."""
        self.can_delete = False
        self.query_one("#files", Static).update(why)
        self.query_one(f"#{DELETE}", Button).display = False

    def on_mount(self) -> None:
        focus_now(self.query_one("#cancel", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id or "")

    def action_answer(self, choice: str) -> None:
        if choice == DELETE and not self.can_delete:
            self.notify("deleting files is not offered (yet): see the dialog", severity="warning")
            return
        self.dismiss(choice if choice in (REMOVE, DELETE) else None)
