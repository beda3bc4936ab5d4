"""y: what to copy of a download (magnet link, URIs, GID, path), from tellStatus."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.model.magnets import magnet_of

STATUS_KEYS = ["gid", "infoHash", "bittorrent", "files", "dir"]
KINDS: dict[str, str] = {"m": "magnet link", "u": "URIs", "g": "GID", "p": "path"}
"""The chooser's keys and what each copies."""


def path_of(status: Struct) -> str | None:
    """Where a download's data is: the folder of a multi-file torrent, else its
    (first) file."""
    folder = fields.text(status.get("dir")) or ""
    bittorrent = fields.struct(status.get("bittorrent")) or {}
    info = fields.struct(bittorrent.get("info")) or {}
    name = fields.text(info.get("name"))
    if bittorrent.get("mode") == "multi" and name and folder:
        return posixpath.join(folder, name)
    files = fields.structs(status.get("files"))
    path = fields.text(files[0].get("path")) if files else None
    return path if path and not path.startswith("[METADATA]") else None


def copied_of(kind: str, status: Struct) -> str | None:
    """The text ``kind`` (a key of :data:`KINDS`) copies of one download; None when
    it has none (a magnet link of a plain HTTP download, a path not chosen yet)."""
    if kind == "g":
        gid = status.get("gid")
        return gid if fields.is_gid(gid) else None
    if kind == "m":
        return magnet_of(status)
    if kind == "u":
        uris = distinct_uris(status.get("files"))
        return "\n".join(uris) if uris else None
    if kind == "p":
        return path_of(status)
    return None


@dataclass(frozen=True, slots=True)
class Copied:
    """What to put on the clipboard, and of how many downloads it had nothing."""

    text: str
    count: int
    missing: int


def copy_of(kind: str, statuses: Sequence[object]) -> Copied:
    """``kind`` of every download (one per line), skipping unusable replies."""
    found = [copied_of(kind, s) for s in (fields.struct(x) for x in statuses) if s]
    texts = [text for text in found if text]
    return Copied("\n".join(texts), len(texts), len(statuses) - len(texts))


def distinct_uris(files: object) -> list[str]:
    """Every URI of the (single-file) download, once each, in aria2's order."""
    uris: list[str] = []
    for file in fields.structs(files):
        for entry in fields.structs(file.get("uris")):
            uri = fields.text(entry.get("uri"))
            if uri and uri not in uris:
                uris.append(uri)
    return uris
