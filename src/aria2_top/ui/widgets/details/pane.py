"""The details pane: tabs of everything aria2 knows about the download in focus."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from aria2_top.model import format as fmt
from aria2_top.model.downloads import DownloadKey
from aria2_top.model.masking import mask_uri_secrets
from aria2_top.model.overview import Overview
from aria2_top.model.pieces import Pieces
from aria2_top.model.tabs import Files, Peers, Servers, Tab, TabUnavailable, parse_tab
from aria2_top.ui.focus import focus_now, typing
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.widgets.details.overview import OverviewTab
from aria2_top.ui.widgets.details.tables import (
    PiecesTab,
    ReadOnlyTab,
    peers_body,
    servers_body,
    speed_body,
)
from aria2_top.ui.widgets.text_line import TextLine

TAB_ORDER = list(Tab)
READ_ONLY_KEYS = "1-7 tabs · ↑↓ move the table · Esc closes"
TAB_KEYS = {
    Tab.FILES: "1-7 tabs · ↑↓ files · j/k table · Esc closes",
    Tab.OPTIONS: "type to filter · Tab: the list · Ctrl+E all in $EDITOR · Esc closes",
}
"""What the title line says of the keys: the tab on screen decides where ↑↓ go."""


class DetailsPane(Vertical):
    """Header line plus one tab per kind of detail; keys 1-7 pick a tab."""

    # Priority: run by the app in order, so a burst like "6pause" switches to the
    # Options tab before "pause" is typed (see ui/focus.py).
    BINDINGS = [
        Binding("escape", "close", "Close", priority=True, id="aria2-top.details.close"),
        Binding(
            "J",
            "follow(1)",
            "Jump to follow-up",
            show=False,
            priority=True,
            id="aria2-top.details.follow",
        ),
        Binding(
            "K", "follow(-1)", "Jump back", show=False, priority=True, id="aria2-top.details.back"
        ),
        Binding(
            "ctrl+r",
            "reveal",
            "Show/hide passwords",
            show=False,
            priority=True,
            id="aria2-top.details.reveal",
        ),
        *(
            Binding(
                str(number),
                f"show_tab('{tab.value}')",
                tab.label,
                show=False,
                priority=True,
                id=f"aria2-top.details.tab-{tab.value}",
            )
            for number, tab in enumerate(TAB_ORDER, 1)
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Typed into the Options filter, digits and letters are text (Esc and Ctrl+R
        still work)."""
        return action in ("close", "reveal") or not typing(self.app)

    class Changed(Message):
        """The download or the tab changed: fetch now."""

    class Closed(Message):
        """The user closed the pane."""

    class Jump(Message):
        """Go to download ``gid`` (on the same daemon) along the follow-up chain."""

        def __init__(self, gid: str) -> None:
            super().__init__()
            self.gid = gid

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key: DownloadKey | None = None
        self.host = False
        """Name the download's daemon in the title (several daemons in view)."""
        self.name_text = ""
        self.group = 0
        """How many tagged downloads the Options tab edits together (0: this one)."""
        self.tab = Tab.OVERVIEW
        self.follow: tuple[str | None, str | None] = (None, None)
        self.reveal = False
        """Passwords in options and URIs are shown (Ctrl+R), else masked."""
        self.shown: tuple[Tab, str] | None = None
        """The tab and download whose data is on screen (tests wait for it)."""
        self._last_files: tuple[DownloadKey, object] | None = None
        self.holds: dict[DownloadKey, str] = {}
        """Why a file selection applied to a download waits (the Overview says it)."""
        self._status_seen: tuple[DownloadKey, dict[str, Any]] | None = None
        """The Overview's last full tellStatus (it holds the file list too)."""

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
        if tab is Tab.PIECES:
            return PiecesTab(id="tab-pieces")
        return ReadOnlyTab(id=f"tab-{tab.value}")

    @property
    def gid(self) -> str | None:
        """The GID of the download shown."""
        return None if self.key is None else self.key.gid

    def show_download(self, key: DownloadKey, name: str) -> None:
        """Show download ``key`` (fetching starts with the next Changed)."""
        changed = key != self.key
        self.key, self.name_text = key, name
        self._show_title()
        if changed:
            self.follow = (None, None)
            self.hide_secrets()
            self.post_message(self.Changed())

    def _show_title(self) -> None:
        """The download's name and the keys of the tab on screen."""
        title = Text(" ")
        if self.group and self.tab is Tab.OPTIONS:
            title.append(f"Options of {self.group} tagged downloads", style="bold")
            title.append("   a change goes to each · [mixed]: they differ", style="dim")
            self.query_one("#details-title", TextLine).set_text(title)
            return
        title.append(fmt.safe_text(self.name_text), style="bold")
        title.append(f"  {self.gid}", style="dim")
        if self.host and self.key is not None:
            title.append(f"  on {fmt.safe_text(self.key.daemon)}", style="bold")
        title.append(f"   {TAB_KEYS.get(self.tab, READ_ONLY_KEYS)}", style="dim")
        self.query_one("#details-title", TextLine).set_text(title)

    def action_show_tab(self, name: str) -> None:
        self.tab = Tab(name)
        self.query_one(TabbedContent).active = name
        self.focus_tab()

    def focus_tab(self) -> None:
        """Put the focus on the shown tab's main widget (at once: see ui/focus.py)."""
        pane = self.query_one(f"#tab-{self.tab.value}")
        if self.tab is Tab.OPTIONS:
            self.query_one(OptionsTab).focus_filter()
        elif self.tab is Tab.FILES:
            focus_now(pane.query_one("#files-tree"))
        else:
            focus_now(pane)
        self._show_title()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        tab = Tab(event.pane.id or Tab.OVERVIEW.value)
        if tab is not self.tab:  # chosen with the mouse or the tab bar's arrows
            self.tab = tab
            self.focus_tab()
        self.post_message(self.Changed())

    def action_close(self) -> None:
        self.hide_secrets()
        self.post_message(self.Closed())

    def action_follow(self, step: int) -> None:
        target = self.follow[0] if step > 0 else self.follow[1]
        if target is None:
            self.app.notify("no follow-up in that direction (see the Overview tab)")
            return
        self.post_message(self.Jump(target))

    # -- data in ---------------------------------------------------------------------------

    def hide_secrets(self) -> None:
        """Mask passwords again (another download, or the pane closed)."""
        self.reveal = False
        self.query_one(OptionsTab).set_reveal(False)

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        self.query_one(OptionsTab).set_reveal(self.reveal)
        self.app.notify(
            "passwords are shown: Ctrl+R hides them" if self.reveal else "passwords are hidden"
        )
        self.post_message(self.Changed())

    def show_uri(self, uri: str) -> str:
        """A URI fit to show: safe text, credentials masked unless revealed."""
        return fmt.safe_text(uri if self.reveal else mask_uri_secrets(uri))

    def show_known(self) -> None:
        """Show at once what an earlier reply already told of the tab on screen, while
        its own is on the way: the Files tab from the Overview's reply (which lists
        the files too), so a 10,000-file torrent's tree does not wait for aria2."""
        seen, key = self._status_seen, self.key
        if self.tab is not Tab.FILES or seen is None or key is None or seen[0] != key:
            return
        if self.shown != (Tab.FILES, key.gid) and "files" in seen[1]:
            self.apply(Tab.FILES, key, [seen[1], seen[1]["files"]])

    def apply(self, tab: Tab, key: DownloadKey, results: list[Any], carried: int = 0) -> None:
        """Show what the multicall for ``tab`` of download ``key`` returned
        (``carried``: bytes its earlier GIDs uploaded, for the Overview)."""
        if key != self.key:
            return  # the focus moved on while this was fetched
        if tab is Tab.OVERVIEW and results and isinstance(results[0], dict):
            self._status_seen = (key, results[0])
        if tab is Tab.FILES and len(results) == 2:
            if (key, results[1]) == self._last_files:
                return  # unchanged replies are common: skip parsing
            self._last_files = (key, results[1])
        try:
            data = parse_tab(tab, results, carried)
        except TabUnavailable as exc:
            self.unavailable(tab, str(exc))
            return
        self.shown = (tab, key.gid)
        if isinstance(data, Overview):
            if key in self.holds:
                data = replace(data, rows=(*data.rows, ("Selection", self.holds[key])))
            self.follow = (data.forward, data.back)
            self.query_one(OverviewTab).show(data, self.show_uri)
        elif isinstance(data, Files):
            self.query_one(FilesTab).show(key, data.entries)
        elif isinstance(data, Peers):
            self.query_one("#tab-peers", ReadOnlyTab).set_body(peers_body(data))
        elif isinstance(data, Servers):
            body = servers_body(data, self.show_uri)
            self.query_one("#tab-servers", ReadOnlyTab).set_body(body)
        elif isinstance(data, Pieces):
            self.query_one(PiecesTab).show(data)
        else:
            self.query_one(OptionsTab).show(key.daemon, key.gid, data)

    def show_group_options(self, group: tuple[DownloadKey, ...], options: dict[str, str]) -> None:
        """The merged options of the tagged downloads ``group`` (empty: back to the
        download under the cursor)."""
        if len(group) != self.group:
            self.group = len(group)
            self._show_title()
        if group:
            self.shown = (Tab.OPTIONS, "")
            self.query_one(OptionsTab).show("", None, options, group)

    def unavailable(self, tab: Tab, why: str) -> None:
        """Say in ``tab`` why its data cannot be shown (instead of "loading…")."""
        widget = self.query_one(f"#tab-{tab.value}")
        if isinstance(widget, ReadOnlyTab | OverviewTab):
            widget.show_error(why)
        if tab is Tab.FILES:
            self._last_files = None

    def show_speed(self, samples: list[tuple[int, int]], interval: float) -> None:
        self.shown = (Tab.SPEED, self.gid or "")
        widget = self.query_one("#tab-speed", ReadOnlyTab)
        width = widget.scrollable_content_region.width
        widget.set_body(speed_body(samples, max(10, width), interval))
