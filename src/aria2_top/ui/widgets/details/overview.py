"""Overview tab: the rows model/overview.py made from tellStatus."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from aria2_top.model import format as fmt
from aria2_top.model.overview import Overview
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.details.tables import READ_ONLY_TAB_KEYS


class OverviewTab(VerticalScroll):
    """A two-column table of the download's fields."""

    BINDINGS = READ_ONLY_TAB_KEYS

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="overview-body")

    def show(self, overview: Overview, show_text: Callable[[str], str]) -> None:
        """Show ``overview``; ``show_text`` masks the credentials in URIs and messages."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for field, value in overview.rows:
            table.add_row(Text(field), Text(show_text(value)))
        hints = [
            f"J: jump to {overview.forward}" if overview.forward else "",
            f"K: jump back to {overview.back}" if overview.back else "",
        ]
        if any(hints):
            table.add_row(Text(""), Text("  ".join(h for h in hints if h), style="dim"))
        self.query_one("#overview-body", Static).update(table)

    def show_error(self, message: str) -> None:
        self.query_one("#overview-body", Static).update(
            Text(fmt.safe_text(message), style=tone("warn"))
        )
