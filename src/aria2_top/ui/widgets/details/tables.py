"""Peers, Servers/URIs, Pieces and Speed tabs: read-only views refreshed each tick."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from aria2_top.core import format as fmt
from aria2_top.core.history import spark
from aria2_top.core.model import Struct
from aria2_top.core.peers import parse_peer
from aria2_top.core.pieces import piece_map


def _grid(*headers: str) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
    for header in headers:
        table.add_column(header, no_wrap=True, overflow="ellipsis")
    return table


class ReadOnlyTab(VerticalScroll):
    """A scrolling Static that each tick replaces."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("loading…", style="dim"))

    def set_body(self, body: Any) -> None:
        self.query_one(Static).update(body)

    def show_error(self, message: str) -> None:
        self.set_body(Text(fmt.safe_text(message), style="yellow"))


def peers_body(status: Struct, peers: list[Struct]) -> Any:
    """Peers sorted by download speed, with client names and progress."""
    if "infoHash" not in status:
        return Text("Peers are for BitTorrent downloads; this one has none.", style="dim")
    if not peers:
        return Text("No peers connected.", style="dim")
    num_pieces = int(status.get("numPieces") or 0) or None
    parsed = sorted((parse_peer(p, num_pieces) for p in peers), key=lambda p: -p.down_speed)
    table = _grid("Address", "Client", "↓ Speed", "↑ Speed", "Has", "Seeder", "Choking")
    for peer in parsed:
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
    return Group(Text(f"{len(parsed)} peers", style="dim"), table)


def servers_body(servers: list[Struct], uris: list[Struct]) -> Any:
    """Servers in use per file, then every URI with its state."""
    parts: list[Any] = []
    table = _grid("File", "Current URI", "↓ Speed")
    rows = 0
    for file in servers:
        for server in file.get("servers") or []:
            rows += 1
            table.add_row(
                Text(str(file.get("index", ""))),
                Text(fmt.safe_text(str(server.get("currentUri", "")))),
                Text(fmt.speed(int(server.get("downloadSpeed") or 0))),
            )
    parts.append(Text("Servers in use", style="bold underline"))
    parts.append(table if rows else Text("none right now", style="dim"))
    parts.append(Text(""))
    parts.append(Text("URIs", style="bold underline"))
    uri_table = _grid("State", "URI")
    for uri in uris:
        uri_table.add_row(
            Text(str(uri.get("status", ""))), Text(fmt.safe_text(str(uri.get("uri", ""))))
        )
    parts.append(uri_table if uris else Text("none", style="dim"))
    return Group(*parts)


def pieces_body(status: Struct, width: int, height: int) -> Any:
    """The bitfield as a map that fits ``width`` × ``height`` cells."""
    num = int(status.get("numPieces") or 0)
    if not num:
        return Text("No pieces yet (the size is not known).", style="dim")
    bitfield = str(status.get("bitfield") or "")
    cells = max(1, width * max(1, height - 2))
    shown = piece_map(bitfield, num, min(cells, num))
    lines = [shown[i : i + width] for i in range(0, len(shown), width)]
    have = sum(bin(int(c, 16)).count("1") for c in bitfield if c in "0123456789abcdefABCDEF")
    size = fmt.long_size(int(status.get("pieceLength") or 0))
    scale = "" if num <= cells else f", {num / len(shown):.1f} pieces per cell"
    header = Text(f"{min(have, num)} of {num} pieces of {size}{scale}", style="dim")
    return Group(header, Text("\n".join(lines), style="green"))


def speed_body(samples: list[tuple[int, int]], width: int, interval: float) -> Any:
    """↓ and ↑ sparklines of the last minutes, with current, mean and peak."""
    if not samples:
        return Text("No transfer seen for this download yet.", style="dim")
    parts: list[Any] = []
    span = fmt.duration(len(samples) * interval)
    for label, index, style in (("↓", 0, "green"), ("↑", 1, "cyan")):
        values = [sample[index] for sample in samples]
        mean = sum(values) // len(values)
        parts.append(
            Text(
                f"{label} now {fmt.speed(values[-1]) or '0B/s'}  mean {fmt.speed(mean) or '0B/s'}"
                f"  peak {fmt.speed(max(values)) or '0B/s'}  (last {span})",
                style="bold",
            )
        )
        parts.append(Text(spark(values, max(10, width)), style=style))
        parts.append(Text(""))
    return Group(*parts)
