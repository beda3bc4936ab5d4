"""O: the daemon's global options, searchable; Enter edits one (read back after)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from aria2_top.core.options import GLOBAL_LIMITS
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.widgets.details.options import OptionsTab

Loader = Callable[[], Awaitable[dict[str, str]]]


class GlobalOptionsScreen(ModalScreen[None]):
    """The daemon's options in the same view as a download's; ``load`` fetches them."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("ctrl+r", "reveal", "Show/hide passwords", show=False),
    ]

    def __init__(self, load: Loader) -> None:
        super().__init__()
        self.load = load

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Global options"
            dialog.border_subtitle = "Ctrl+R shows passwords · Esc closes"
            yield OptionsTab(id="global-options", limits=GLOBAL_LIMITS)

    def on_mount(self) -> None:
        self.query_one(OptionsTab).focus_filter()
        self.reload()

    def action_reveal(self) -> None:
        options = self.query_one(OptionsTab)
        options.set_reveal(not options.reveal)

    def reload(self) -> None:
        """Fetch the options again (after an edit) and show them."""

        async def fetch() -> None:
            try:
                options = await self.load()
            except Aria2Error as exc:
                self.app.notify(f"cannot read the global options: {exc}", severity="error")
                return
            self.query_one(OptionsTab).show(None, options)

        self.run_worker(fetch, exclusive=True)  # type: ignore[arg-type]
