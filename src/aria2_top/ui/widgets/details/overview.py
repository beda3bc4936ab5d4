"""Overview tab: every tellStatus field that means something to a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from aria2_top.core import format as fmt
from aria2_top.core.aria2_codes import describe_error
from aria2_top.core.model import Struct, name_of


def magnet_link(info_hash: str, name: str) -> str:
    """A magnet link for a torrent (with its name, URL-quoted)."""
    from urllib.parse import quote  # noqa: PLC0415 - only needed here

    return f"magnet:?xt=urn:btih:{info_hash}" + (f"&dn={quote(name)}" if name else "")


def overview_rows(status: Struct) -> list[tuple[str, str]]:
    """(field, value) pairs in reading order; aria2's text made safe."""
    safe = fmt.safe_text
    rows: list[tuple[str, str]] = []
    name = name_of(status).name
    total = int(status.get("totalLength") or 0)
    done = int(status.get("completedLength") or 0)
    rows.append(("Name", safe(name)))
    rows.append(("GID", safe(str(status.get("gid", "")))))
    state = str(status.get("status", ""))
    rows.append(("Status", safe(state)))
    if status.get("errorCode") and status.get("errorCode") != "0":
        error = describe_error(str(status["errorCode"]), str(status.get("errorMessage", "")))
        rows.append(("Error", safe(error)))
    rows.append(("Directory", safe(str(status.get("dir", "")))))
    share = f" ({fmt.percent(done / total)})" if total else ""
    rows.append(("Size", f"{fmt.long_size(done)} of {fmt.long_size(total)}{share}"))
    rows.append(("Uploaded", fmt.long_size(int(status.get("uploadLength") or 0))))
    down, up = int(status.get("downloadSpeed") or 0), int(status.get("uploadSpeed") or 0)
    rows.append(("Speed", f"↓ {fmt.speed(down) or '0B/s'}  ↑ {fmt.speed(up) or '0B/s'}"))
    connections = str(status.get("connections") or "0")
    if "numSeeders" in status:
        connections += f" ({status.get('numSeeders')} seeders)"
    rows.append(("Connections", connections))
    if status.get("numPieces"):
        rows.append(
            (
                "Pieces",
                f"{status['numPieces']} × {fmt.long_size(int(status.get('pieceLength') or 0))}",
            )
        )
    bittorrent = status.get("bittorrent")
    if isinstance(bittorrent, dict):
        rows += _torrent_rows(status, bittorrent, name)
    for key, label in (
        ("following", "Follows"),
        ("belongsTo", "Belongs to"),
    ):
        if status.get(key):
            rows.append((label, safe(str(status[key]))))
    if status.get("followedBy"):
        rows.append(("Followed by", safe(", ".join(map(str, status["followedBy"])))))
    return rows


def _torrent_rows(status: Struct, bittorrent: dict[str, Any], name: str) -> list[tuple[str, str]]:
    safe = fmt.safe_text
    rows = []
    info_hash = str(status.get("infoHash", ""))
    if info_hash:
        rows.append(("Info hash", safe(info_hash)))
        rows.append(("Magnet", safe(magnet_link(info_hash, name))))
    if bittorrent.get("mode"):
        rows.append(("Mode", safe(str(bittorrent["mode"]))))
    if bittorrent.get("comment"):
        rows.append(("Comment", safe(str(bittorrent["comment"]))))
    created = bittorrent.get("creationDate")
    if created:
        when = dt.datetime.fromtimestamp(int(created), tz=dt.UTC)
        rows.append(("Created", when.strftime("%Y-%m-%d %H:%M UTC")))
    tiers = bittorrent.get("announceList") or []
    for number, tier in enumerate(tiers, 1):
        rows.append((f"Tracker tier {number}", safe(" ".join(map(str, tier)))))
    return rows


def follow_targets(status: Struct) -> tuple[str | None, str | None]:
    """(next, previous) GIDs along the follow-up chain, if any."""
    followed = status.get("followedBy") or []
    forward = str(followed[0]) if followed else None
    back = status.get("following") or status.get("belongsTo")
    return forward, (str(back) if back else None)


class OverviewTab(VerticalScroll):
    """A two-column table of the download's fields."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("loading…", style="dim"), id="overview-body")

    def show(self, status: Struct) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for field, value in overview_rows(status):
            table.add_row(Text(field), Text(value))
        forward, back = follow_targets(status)
        if forward or back:
            hint = "  ".join(
                part
                for part in (
                    f"J: jump to {forward}" if forward else "",
                    f"K: jump back to {back}" if back else "",
                )
                if part
            )
            table.add_row(Text(""), Text(hint, style="dim"))
        self.query_one("#overview-body", Static).update(table)
