"""Peers, Servers/URIs, Pieces and Speed tabs: read-only views refreshed each tick."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from aria2_top.model import format as fmt
from aria2_top.model.pieces import Pieces, piece_map
from aria2_top.model.speed_samples import spark
from aria2_top.model.tabs import Peers, Servers
from aria2_top.ui.tones import tone


def _grid(*headers: str) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
    for header in headers:
        table.add_column(header, no_wrap=True, overflow="ellipsis")
    return table


TABLE_MOTION = [
    Binding("up", "screen.cursor('up')", "Up", show=False, id="aria2-top.tab.up"),
    Binding("down", "screen.cursor('down')", "Down", show=False, id="aria2-top.tab.down"),
    Binding(
        "pageup", "screen.cursor('page_up')", "Page up", show=False, id="aria2-top.tab.page-up"
    ),
    Binding(
        "pagedown",
        "screen.cursor('page_down')",
        "Page down",
        show=False,
        id="aria2-top.tab.page-down",
    ),
    Binding("home", "screen.cursor('top')", "First", show=False, id="aria2-top.tab.first"),
    Binding("end", "screen.cursor('bottom')", "Last", show=False, id="aria2-top.tab.last"),
]
READ_ONLY_TAB_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    *TABLE_MOTION,
    Binding("shift+up", "scroll_up", "Scroll up", show=False, id="aria2-top.tab.scroll-up"),
    Binding("shift+down", "scroll_down", "Scroll down", show=False, id="aria2-top.tab.scroll-down"),
]
"""In a tab that only shows, the arrows move the table (the pane follows it); the
tab itself scrolls with the mouse or Shift+↑/↓."""


class ReadOnlyTab(VerticalScroll):
    """A scrolling Static that each tick replaces."""

    BINDINGS = READ_ONLY_TAB_KEYS

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"))

    def set_body(self, body: Any) -> None:
        self.query_one(Static).update(body)

    def show_error(self, message: str) -> None:
        self.set_body(Text(fmt.safe_text(message), style=tone("warn")))


class PiecesTab(ReadOnlyTab):
    """The pieces map: drawn to fit the tab, and again when the tab's size changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pieces: Pieces | None = None

    def show(self, pieces: Pieces) -> None:
        self._pieces = pieces
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._pieces is not None:
            size = self.scrollable_content_region.size
            self.set_body(pieces_body(self._pieces, max(10, size.width), max(3, size.height)))

    def show_error(self, message: str) -> None:
        self._pieces = None
        super().show_error(message)


def peers_body(data: Peers) -> Any:
    """Peers sorted by download speed, with client names and progress."""
    if not data.is_torrent:
        return Text("Peers are for BitTorrent downloads; this one has none.", style="dim")
    if not data.peers:
        return Text("No peers connected.", style="dim")
    table = _grid("Address", "Client", "↓ Speed", "↑ Speed", "Has", "Seeder", "Choking")
    for peer in data.peers:
        choking = ("us" if peer.peer_choking else "") + (
            (" and " if peer.peer_choking and peer.am_choking else "")
            + ("them" if peer.am_choking else "")
        )
        table.add_row(
            Text(peer.address),
            Text(peer.client),
            Text(fmt.speed(peer.down_speed)),
            Text(fmt.speed(peer.up_speed)),
            Text(fmt.percent(peer.progress)),
            Text("yes" if peer.seeder else ""),
            Text(choking),
        )
    return Group(Text(f"{len(data.peers)} peers", style="dim"), table)


def servers_body(data: Servers, show_uri: Callable[[str], str]) -> Any:
    """Servers in use per file, then every URI with its state; ``show_uri`` makes a
    URI fit to show (it masks passwords unless they are revealed)."""
    parts: list[Any] = []
    table = _grid("File", "Current URI", "↓ Speed")
    for server in data.servers:
        table.add_row(
            Text("?" if server.file_index is None else str(server.file_index)),
            Text(show_uri(server.uri)),
            Text(fmt.speed(server.down_speed)),
        )
    parts.append(Text("Servers in use", style="bold underline"))
    parts.append(table if data.servers else Text("none right now", style="dim"))
    parts.append(Text(""))
    parts.append(Text("URIs", style="bold underline"))
    uri_table = _grid("State", "URI")
    for uri in data.uris:
        uri_table.add_row(Text(fmt.safe_text(uri.state)), Text(show_uri(uri.uri)))
    parts.append(uri_table if data.uris else Text("none", style="dim"))
    return Group(*parts)


def pieces_body(pieces: Pieces, width: int, height: int) -> Any:
    """The bitfield as a map that fits ``width`` × ``height`` cells."""
    num = pieces.count
    if not num:
        return Text("No pieces yet (the size is not known).", style="dim")
    cells = max(1, width * max(1, height - 2))
    shown = piece_map(pieces.bitfield, num, min(cells, num))
    lines = [shown[i : i + width] for i in range(0, len(shown), width)]
    size = "?" if pieces.length is None else fmt.size(pieces.length)
    scale = "" if num <= cells else f", {num / len(shown):.1f} pieces per cell"
    header = Text(f"{pieces.present} of {num} pieces of {size}{scale}", style="dim")
    return Group(header, Text("\n".join(lines), style=tone("good")))


def speed_body(samples: list[tuple[int, int]], width: int, interval: float) -> Any:
    """↓ and ↑ sparklines of the last minutes, with current, mean and peak."""
    if not samples:
        return Text("No transfer seen for this download yet.", style="dim")
    parts: list[Any] = []
    span = fmt.duration(len(samples) * interval)
    for label, index, style in (("↓", 0, "good"), ("↑", 1, "note")):
        values = [sample[index] for sample in samples]
        mean = sum(values) // len(values)
        parts.append(
            Text(
                f"{label} now {fmt.rate(values[-1])}  mean {fmt.rate(mean)}"
                f"  peak {fmt.rate(max(values))}  (last {span})",
                style="bold",
            )
        )
        parts.append(Text(spark(values, max(10, width)), style=tone(style)))
        parts.append(Text(""))
    return Group(*parts)
