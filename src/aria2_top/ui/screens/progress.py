"""A progress bar in a dialog, for work that takes a while (M moving large files)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static


class ProgressScreen(ModalScreen[None]):
    """Shows ``what`` and a bar up to ``total``; the caller advances and closes it."""

    def __init__(self, what: str, total: int) -> None:
        super().__init__()
        self.what = what
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Moving"
            yield Static(self.what, markup=False)
            yield ProgressBar(total=max(1, self.total), show_eta=True)

    def advance(self, amount: int) -> None:
        self.query_one(ProgressBar).advance(amount)
