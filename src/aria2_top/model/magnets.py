"""Magnet links of torrents: from the info hash, the real name and the trackers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from aria2_top.model import fields
from aria2_top.model.fields import Struct


def magnet_link(info_hash: str, name: str, trackers: Sequence[str] = ()) -> str:
    """A magnet link for a torrent (with its name and trackers, URL-quoted)."""
    link = f"magnet:?xt=urn:btih:{info_hash}" + (f"&dn={quote(name)}" if name else "")
    return link + "".join(f"&tr={quote(tracker, safe='')}" for tracker in trackers)


INFO_HASH = re.compile(r"^(?:[0-9a-fA-F]{40}|[A-Za-z2-7]{32})$")


def trackers_of(bittorrent: Struct) -> list[str]:
    """Every tracker of a torrent, once each, tier by tier."""
    trackers: list[str] = []
    tiers = bittorrent.get("announceList")
    for tier in tiers if isinstance(tiers, list) else []:
        for tracker in fields.texts(tier):
            if tracker not in trackers:
                trackers.append(tracker)
    return trackers


def magnet_of(status: Struct) -> str | None:
    """The magnet link of a torrent download (tellStatus with ``infoHash``,
    ``bittorrent``): its info hash, its real name (never aria2's ``[METADATA]``
    placeholder) and its trackers; None for a download that is no torrent."""
    info_hash = fields.text(status.get("infoHash"), 64) or ""
    if not INFO_HASH.match(info_hash):
        return None
    bittorrent = fields.struct(status.get("bittorrent")) or {}
    info = fields.struct(bittorrent.get("info")) or {}
    name = fields.text(info.get("name")) or ""
    return magnet_link(
        info_hash, "" if name.startswith("[METADATA]") else name, trackers_of(bittorrent)
    )
