"""O: the daemon's global options, searchable; Enter edits one (read back after)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from aria2_top.model.format import safe_text
from aria2_top.ops.download_options import GLOBAL_LIMITS
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.workers import ReportsWorkerErrors

Loader = Callable[[], Awaitable[dict[str, str]]]
Editor = Callable[[OptionsTab.EditOption], Awaitable[None]]


class GlobalOptionsScreen(ReportsWorkerErrors, ModalScreen[None]):
    """A daemon's options in the same view as a download's; ``load`` fetches them."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="aria2-top.global-options.close"),
        Binding(
            "ctrl+r",
            "reveal",
            "Show/hide passwords",
            show=False,
            id="aria2-top.global-options.reveal",
        ),
    ]

    def __init__(self, load: Loader, edit: Editor, daemon: str, *, fleet: bool = False) -> None:
        """``edit`` asks for an option's new value and sets it; ``daemon``: its name
        (in the title when ``fleet``: one of several)."""
        super().__init__()
        self.load = load
        self.edit = edit
        self.daemon = daemon
        self.fleet = fleet

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = (
                f"Global options of {safe_text(self.daemon)}" if self.fleet else "Global options"
            )
            dialog.border_subtitle = "Ctrl+R shows passwords · Esc closes"
            yield OptionsTab(id="global-options", limits=GLOBAL_LIMITS)

    def on_mount(self) -> None:
        self.query_one(OptionsTab).focus_filter()
        self.reload()

    @on(OptionsTab.EditOption)
    async def _on_edit(self, message: OptionsTab.EditOption) -> None:
        message.stop()
        await self.edit(message)

    def action_reveal(self) -> None:
        options = self.query_one(OptionsTab)
        options.set_reveal(not options.reveal)

    @work(exclusive=True, exit_on_error=False)
    async def reload(self) -> None:
        """Fetch the options again (after an edit) and show them."""
        try:
            options = await self.load()
        except Aria2Error as exc:
            self.app.notify(f"cannot read the global options: {exc}", severity="error")
            return
        self.query_one(OptionsTab).show(self.daemon, None, options)
