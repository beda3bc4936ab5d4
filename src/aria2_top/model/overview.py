"""The Overview tab's content: every tellStatus field that means something to a
person, as (field, text) rows made safe to show, and the follow-up chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import humanize

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.downloads import Status, display_status, name_of
from aria2_top.model.fields import Struct
from aria2_top.model.magnets import magnet_of
from aria2_top.model.playable import Playable, playable, playable_words
from aria2_top.model.stream_window import head_of

LATEST_TIMESTAMP = 253_402_300_799
"""9999-12-31: a torrent's creation date after this is not a date."""


@dataclass(frozen=True, slots=True)
class Overview:
    """The rows to show, and the GIDs to jump to along the follow-up chain."""

    rows: tuple[tuple[str, str], ...]
    forward: str | None = None
    back: str | None = None


def _size(value: int | None) -> str:
    return fmt.size(value)


def parse_overview(status: Struct, options: Struct | None = None, carried: int = 0) -> Overview:
    """The Overview of one tellStatus struct (and the download's getOption, for
    whether it streams); unusable values show as ``?``. ``carried``: bytes its
    earlier GIDs uploaded (it was added again: see ``model/lineage.py``)."""
    safe = fmt.safe_text
    rows: list[tuple[str, str]] = []
    named = name_of(status)
    name = named.name
    total = fields.count(status.get("totalLength"))
    done = fields.count(status.get("completedLength"))
    rows.append(("Name", safe(name)))
    rows.append(("GID", safe(fields.text(status.get("gid"), 64) or "?")))
    rows.append(("Status", _status_words(status, named.is_metadata)))
    code = fields.text(status.get("errorCode"), 8) or ""
    if code.isdigit() and code != "0":
        message = fields.text(status.get("errorMessage")) or ""
        torrent = "infoHash" in status or fields.struct(status.get("bittorrent")) is not None
        stop_timeout = fields.count((options or {}).get("bt-stop-timeout"))
        why = describe_error(code, message, torrent=torrent, stop_timeout=stop_timeout)
        rows.append(("Error", safe(why)))
    rows.append(("Directory", safe(fields.text(status.get("dir")) or "?")))
    files = fields.structs(status.get("files"))
    uris = fields.structs(files[0].get("uris")) if files else []
    first_uri = fields.text(uris[0].get("uri")) if uris else None
    if first_uri:
        more = len({fields.text(u.get("uri")) for u in uris}) - 1
        rows.append(("Source", safe(first_uri) + (f"  (+{more} more)" if more > 0 else "")))
    share = f" ({fmt.percent(done / total)})" if total and done is not None else ""
    rows.append(("Size", f"{_size(done)} of {_size(total)}{share}"))
    uploaded = fields.count(status.get("uploadLength"))
    uploaded = None if uploaded is None else uploaded + carried
    rows.append(("Uploaded", _size(uploaded)))
    if fields.struct(status.get("bittorrent")) is not None or "infoHash" in status:
        ratio = None if uploaded is None or done is None else (uploaded / done if done else 0.0)
        rows.append(("Ratio", fmt.ratio(ratio) or "?"))
    down = fields.count(status.get("downloadSpeed"))
    up = fields.count(status.get("uploadSpeed"))
    rows.append(("Speed", f"↓ {fmt.rate(down)}  ↑ {fmt.rate(up)}"))
    connections = fields.count(status.get("connections"))
    words = "?" if connections is None else str(connections)
    if "numSeeders" in status:
        seeders = fields.count(status.get("numSeeders"))
        words += f" ({'?' if seeders is None else seeders} seeders)"
    rows.append(("Connections", words))
    pieces = fields.count(status.get("numPieces"))
    if pieces:
        rows.append(("Pieces", f"{pieces} × {_size(fields.count(status.get('pieceLength')))}"))
    bittorrent = fields.struct(status.get("bittorrent"))
    if bittorrent is not None:
        rows += _torrent_rows(status, bittorrent, name)
    forward, back = follow_targets(status)
    following = status.get("following")
    belongs_to = status.get("belongsTo")
    if fields.is_gid(following):
        rows.append(("Follows", following))
    if fields.is_gid(belongs_to):
        rows.append(("Belongs to", belongs_to))
    followed_by = [gid for gid in fields.texts(status.get("followedBy")) if fields.is_gid(gid)]
    if followed_by:
        rows.append(("Followed by", ", ".join(followed_by)))
    ready = playable(status)
    streaming = _streaming_words(status, options or {}, ready)
    if streaming:
        rows.append(("Streaming", streaming))
    if ready is not None and not ready.complete and ready.playable:
        rows.append(("Playable", playable_words(ready)))
    return Overview(tuple(rows), forward, back)


def _streaming_words(status: Struct, options: Struct, ready: Playable | None) -> str:
    """What streaming (S) does for this download, when it is on and not yet done."""
    if ready is not None and ready.complete:
        return ""
    if fields.struct(status.get("bittorrent")) is not None:
        head = head_of(options.get("bt-prioritize-piece"))
        if head is None:
            return ""
        return (
            f"its first {fmt.size(head)} first, in any order; aria2-top moves this "
            "on as it fills, while it runs"
        )
    if options.get("stream-piece-selector") == "inorder":
        return "pieces in order from its start"
    return ""


def _status_words(status: Struct, is_metadata: bool) -> str:
    """The state as the table says it (seeding, metadata, checking), with aria2's own
    word beside it where they differ."""
    shown = display_status(status, is_metadata)
    raw = fmt.safe_text(fields.text(status.get("status"), 32) or "?")
    if shown is Status.UNKNOWN:
        return raw
    return shown.value if shown.value == raw else f"{shown.value} (aria2: {raw})"


def _torrent_rows(status: Struct, bittorrent: Struct, name: str) -> list[tuple[str, str]]:
    safe = fmt.safe_text
    rows = []
    info_hash = fields.text(status.get("infoHash"), 64) or ""
    if info_hash:
        rows.append(("Info hash", safe(info_hash)))
        rows.append(("Magnet", safe(magnet_of(status) or "?")))
    mode = fields.text(bittorrent.get("mode"), 16)
    if mode:
        rows.append(("Mode", safe(mode)))
    comment = fields.text(bittorrent.get("comment"))
    if comment:
        rows.append(("Comment", safe(comment)))
    created = fields.count(bittorrent.get("creationDate"))
    if created and created <= LATEST_TIMESTAMP:
        when = dt.datetime.fromtimestamp(created, tz=dt.UTC)
        ago = humanize.naturaltime(dt.datetime.now(dt.UTC) - when)
        rows.append(("Created", f"{when.strftime('%Y-%m-%d %H:%M UTC')} ({ago})"))
    tiers = bittorrent.get("announceList")
    for number, tier in enumerate(tiers if isinstance(tiers, list) else [], 1):
        rows.append((f"Tracker tier {number}", safe(" ".join(fields.texts(tier)))))
    return rows


def follow_targets(status: Struct) -> tuple[str | None, str | None]:
    """(next, previous) GIDs along the follow-up chain, if any."""
    followed = [gid for gid in fields.texts(status.get("followedBy")) if fields.is_gid(gid)]
    forward = followed[0] if followed else None
    for key in ("following", "belongsTo"):
        back = status.get(key)
        if fields.is_gid(back):
            return forward, back
    return forward, None
