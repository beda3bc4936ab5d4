"""The one-line prompt at the bottom for search (/) and filter (\\)."""

from __future__ import annotations

from enum import StrEnum

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from aria2_top.ui.focus import focus_now


class PromptMode(StrEnum):
    SEARCH = "search"
    FILTER = "filter"


class Prompt(Input):
    """An Input that reports what it is for; Esc cancels, Enter accepts."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    class Cancelled(Message):
        """The user pressed Esc in the prompt."""

        def __init__(self, mode: PromptMode) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.mode = PromptMode.SEARCH

    def open(self, mode: PromptMode, value: str = "") -> None:
        """Show the prompt for ``mode`` with ``value`` in it, and focus it."""
        self.mode = mode
        self.placeholder = (
            "search name or GID" if mode is PromptMode.SEARCH else "filter name or GID"
        )
        self.border_title = mode.value
        self.value = value
        self.display = True
        focus_now(self)  # the keys typed right after / or \ go into the prompt

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self.mode))
