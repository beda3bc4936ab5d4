"""The details pane: tabs of everything aria2 knows about the download in focus."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from aria2_top.core import format as fmt
from aria2_top.core.details import Tab
from aria2_top.core.filetree import parse_files
from aria2_top.rpc.errors import Aria2RpcError
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.widgets.details.overview import OverviewTab, follow_targets
from aria2_top.ui.widgets.details.tables import (
    ReadOnlyTab,
    peers_body,
    pieces_body,
    servers_body,
    speed_body,
)
from aria2_top.ui.widgets.text_line import TextLine

TAB_ORDER = list(Tab)


class DetailsPane(Vertical):
    """Header line plus one tab per kind of detail; keys 1-7 pick a tab."""

    BINDINGS = [
        Binding("escape", "close", "Close details"),
        Binding("J", "follow(1)", "Jump to follow-up", show=False),
        Binding("K", "follow(-1)", "Jump back", show=False),
        *(
            Binding(str(number), f"show_tab('{tab.value}')", tab.label, show=False)
            for number, tab in enumerate(TAB_ORDER, 1)
        ),
    ]

    class Changed(Message):
        """The download or the tab changed: fetch now."""

    class Closed(Message):
        """The user closed the pane."""

    class Jump(Message):
        """Go to download ``gid`` along the follow-up chain."""

        def __init__(self, gid: str) -> None:
            super().__init__()
            self.gid = gid

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gid: str | None = None
        self.name_text = ""
        self.tab = Tab.OVERVIEW
        self.follow: tuple[str | None, str | None] = (None, None)
        self._last_files: tuple[str, list[Any]] | None = None

    def compose(self) -> ComposeResult:
        yield TextLine(id="details-title")
        with TabbedContent(initial=Tab.OVERVIEW.value, id="details-tabs"):
            for number, tab in enumerate(TAB_ORDER, 1):
                with TabPane(f"{number} {tab.label}", id=tab.value):
                    yield self._make_tab(tab)

    @staticmethod
    def _make_tab(tab: Tab) -> Widget:
        if tab is Tab.OVERVIEW:
            return OverviewTab(id="tab-overview")
        if tab is Tab.FILES:
            return FilesTab(id="tab-files")
        if tab is Tab.OPTIONS:
            return OptionsTab(id="tab-options")
        return ReadOnlyTab(id=f"tab-{tab.value}")

    def show_gid(self, gid: str, name: str) -> None:
        """Show ``gid`` (fetching starts with the next Changed)."""
        changed = gid != self.gid
        self.gid, self.name_text = gid, name
        title = Text(" ")
        title.append(fmt.safe_text(name), style="bold")
        title.append(f"  {gid}", style="dim")
        title.append("   1-7 tabs · Esc closes", style="dim")
        self.query_one("#details-title", TextLine).set_text(title)
        if changed:
            self.follow = (None, None)
            self.post_message(self.Changed())

    def action_show_tab(self, name: str) -> None:
        self.tab = Tab(name)
        self.query_one(TabbedContent).active = name
        self.focus_tab()

    def focus_tab(self) -> None:
        """Put the focus on the shown tab's main widget."""
        pane = self.query_one(f"#tab-{self.tab.value}")
        target = {
            Tab.FILES: "#files-tree",
            Tab.OPTIONS: "#options-table",
        }.get(self.tab)
        (pane.query_one(target) if target else pane).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        tab = Tab(event.pane.id or Tab.OVERVIEW.value)
        if tab is not self.tab:  # chosen with the mouse or the tab bar's arrows
            self.tab = tab
            self.focus_tab()
        self.post_message(self.Changed())

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_follow(self, step: int) -> None:
        target = self.follow[0] if step > 0 else self.follow[1]
        if target is None:
            self.app.notify("no follow-up in that direction (see the Overview tab)")
            return
        self.post_message(self.Jump(target))

    # -- data in ---------------------------------------------------------------------------

    def apply(self, tab: Tab, gid: str, results: list[Any]) -> None:
        """Show what the multicall for ``tab`` of ``gid`` returned."""
        if gid != self.gid:
            return  # the focus moved on while this was fetched
        errors = [r for r in results if isinstance(r, Aria2RpcError)]
        if errors and tab is not Tab.PEERS:
            widget = self.query_one(f"#tab-{tab.value}")
            if isinstance(widget, ReadOnlyTab):
                widget.show_error(f"aria2 says: {errors[0].message}")
            return
        if tab is Tab.OVERVIEW:
            self.follow = follow_targets(results[0])
            self.query_one(OverviewTab).show(results[0])
        elif tab is Tab.FILES:
            status, files = results
            if (gid, files) != self._last_files:  # unchanged replies are common: skip parsing
                self._last_files = (gid, files)
                self.query_one(FilesTab).show(gid, parse_files(files, str(status.get("dir", ""))))
        elif tab is Tab.PEERS:
            status, peers = results
            if isinstance(status, Aria2RpcError):
                return
            body = peers_body(status, [] if isinstance(peers, Aria2RpcError) else peers)
            self.query_one("#tab-peers", ReadOnlyTab).set_body(body)
        elif tab is Tab.SERVERS:
            self.query_one("#tab-servers", ReadOnlyTab).set_body(servers_body(*results))
        elif tab is Tab.PIECES:
            widget = self.query_one("#tab-pieces", ReadOnlyTab)
            size = widget.scrollable_content_region.size
            widget.set_body(pieces_body(results[0], max(10, size.width), max(3, size.height)))
        elif tab is Tab.OPTIONS:
            self.query_one(OptionsTab).show(gid, results[0])

    def show_speed(self, samples: list[tuple[int, int]], interval: float) -> None:
        widget = self.query_one("#tab-speed", ReadOnlyTab)
        width = widget.scrollable_content_region.width
        widget.set_body(speed_body(samples, max(10, width), interval))
