"""The one-line prompt at the bottom for search (/) and filter (\\)."""

from __future__ import annotations

from enum import StrEnum

from textual import events
from textual.binding import Binding
from textual.message import Message

from aria2_top.ui.focus import focus_now
from aria2_top.ui.widgets.ordered_input import OrderedInput


class PromptMode(StrEnum):
    SEARCH = "search"
    FILTER = "filter"


class Prompt(OrderedInput):
    """An Input that reports what it is for; Esc cancels, Enter accepts. Keys typed
    after Enter or Esc in the same burst go to the table, not into the prompt."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False, id="aria2-top.prompt.cancel")]

    class Cancelled(Message):
        """The user pressed Esc in the prompt."""

        def __init__(self, mode: PromptMode) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.mode = PromptMode.SEARCH
        self._done = True
        """Enter or Esc was pressed: the keys still coming here are the table's."""

    def open(self, mode: PromptMode, value: str = "") -> None:
        """Show the prompt for ``mode`` with ``value`` in it, and focus it."""
        self.mode = mode
        self.placeholder = (
            "search name or GID"
            if mode is PromptMode.SEARCH
            else "filter: words of the name, a GID, host:NAME for one daemon"
        )
        self.border_title = mode.value
        self.value = value
        self._done = False
        self.display = True
        focus_now(self)  # the keys typed right after / or \ go into the prompt

    def _finish(self) -> None:
        """Enter or Esc: the keys after it are the dashboard's (the focus leaves now,
        before the screen closes the prompt)."""
        self._done = True
        self.screen.set_focus(None)

    def action_cancel(self) -> None:
        self._finish()
        self.post_message(self.Cancelled(self.mode))

    async def action_submit(self) -> None:
        self._finish()
        await super().action_submit()

    async def _on_key(self, event: events.Key) -> None:
        if self._done:  # typed after Enter/Esc in one burst: meant for the table
            event.stop()
            event.prevent_default()
            self.app.simulate_key(event.key)
            return
        await super()._on_key(event)
