"""Downloads and daemon statistics, parsed from aria2's structs into plain values.

aria2 sends every number as a string; these classes hold ints. A :class:`Download`
knows its *display* status, which refines aria2's six statuses: a finished torrent
still uploading is ``seeding``, a magnet fetching its metadata is ``metadata``,
and a download whose pieces are being hash-checked is ``checking``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit

Struct = dict[str, Any]


class Status(StrEnum):
    """What the table shows in the status column."""

    ACTIVE = "active"
    SEEDING = "seeding"
    METADATA = "metadata"
    CHECKING = "checking"
    WAITING = "waiting"
    PAUSED = "paused"
    COMPLETE = "complete"
    ERROR = "error"
    REMOVED = "removed"


TABLE_KEYS: tuple[str, ...] = (
    "gid",
    "status",
    "totalLength",
    "completedLength",
    "uploadLength",
    "downloadSpeed",
    "uploadSpeed",
    "connections",
    "numSeeders",
    "seeder",
    "infoHash",
    "errorCode",
    "errorMessage",
    "verifiedLength",
    "verifyIntegrityPending",
)
"""The tellStatus keys the table needs each tick: small, with no file lists."""

NAME_KEYS: tuple[str, ...] = ("gid", "bittorrent", "files")
"""The keys to work out a download's name: fetched once per download, not per tick."""


def _int(struct: Struct, key: str) -> int:
    try:
        return int(struct.get(key) or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What the name lookup learned about one download."""

    name: str
    is_metadata: bool = False
    final: bool = False
    """From torrent info or a known file path: it will not change any more."""


def name_of(struct: Struct) -> NameInfo:
    """Torrent name, else the first file's base name, else its first URI, else ``?``."""
    bittorrent = struct.get("bittorrent") or {}
    info = bittorrent.get("info") if isinstance(bittorrent, dict) else None
    if isinstance(info, dict) and info.get("name"):
        return NameInfo(str(info["name"]), final=True)
    files = struct.get("files") or []
    first = files[0] if files and isinstance(files[0], dict) else {}
    path = str(first.get("path") or "")
    if path.startswith("[METADATA]"):
        return NameInfo(path, is_metadata=True)
    if path:
        return NameInfo(posixpath.basename(path.replace("\\", "/")) or path, final=True)
    uris = first.get("uris") or []
    if uris and isinstance(uris[0], dict) and uris[0].get("uri"):
        return NameInfo(uri_name(str(uris[0]["uri"])))
    return NameInfo("?")


def uri_name(uri: str) -> str:
    """The file name part of a URI (``…/x/file.iso?a=b`` -> ``file.iso``), else the URI."""
    path = urlsplit(uri).path
    base = unquote(posixpath.basename(path)) if path else ""
    return base or uri


@dataclass(frozen=True, slots=True)
class Download:
    """One row of the table: a download with plain values and a display status."""

    gid: str
    status: Status
    name: str
    aria2_status: str
    total: int = 0
    completed: int = 0
    uploaded: int = 0
    down_speed: int = 0
    up_speed: int = 0
    connections: int = 0
    seeders: int = 0
    is_torrent: bool = False
    verified: int | None = None
    queue_position: int | None = None
    error_code: str = ""
    error_message: str = ""
    daemon: str = field(default="", compare=False)

    @property
    def progress(self) -> float:
        """0.0 to 1.0; a hash check reports its own progress."""
        if self.status is Status.CHECKING and self.total:
            return min(1.0, (self.verified or 0) / self.total)
        if self.total <= 0:
            return 1.0 if self.aria2_status == "complete" else 0.0
        return min(1.0, self.completed / self.total)

    @property
    def eta(self) -> float | None:
        """Seconds left at the current speed; None when it cannot be told."""
        if self.down_speed <= 0 or self.total <= 0 or self.completed >= self.total:
            return None
        return (self.total - self.completed) / self.down_speed

    @property
    def ratio(self) -> float | None:
        """Uploaded / downloaded for torrents; None for other downloads."""
        if not self.is_torrent:
            return None
        return self.uploaded / self.completed if self.completed else 0.0


def display_status(struct: Struct, is_metadata: bool) -> Status:
    """The refined status shown to the user (see the module docstring)."""
    raw = str(struct.get("status", ""))
    if raw == "active":
        if "verifiedLength" in struct or struct.get("verifyIntegrityPending") == "true":
            return Status.CHECKING
        if is_metadata:
            return Status.METADATA
        if struct.get("seeder") == "true":
            return Status.SEEDING
        return Status.ACTIVE
    if raw == "waiting" and struct.get("verifyIntegrityPending") == "true":
        return Status.CHECKING
    try:
        return Status(raw)
    except ValueError:
        return Status.ERROR


def parse_download(
    struct: Struct, name: NameInfo, queue_position: int | None = None, daemon: str = ""
) -> Download:
    """A :class:`Download` from a tellStatus struct and its looked-up name."""
    verified = struct.get("verifiedLength")
    return Download(
        gid=str(struct.get("gid", "")),
        status=display_status(struct, name.is_metadata),
        name=name.name,
        aria2_status=str(struct.get("status", "")),
        total=_int(struct, "totalLength"),
        completed=_int(struct, "completedLength"),
        uploaded=_int(struct, "uploadLength"),
        down_speed=_int(struct, "downloadSpeed"),
        up_speed=_int(struct, "uploadSpeed"),
        connections=_int(struct, "connections"),
        seeders=_int(struct, "numSeeders"),
        is_torrent="infoHash" in struct,
        verified=None if verified is None else _int(struct, "verifiedLength"),
        queue_position=queue_position,
        error_code=str(struct.get("errorCode") or ""),
        error_message=str(struct.get("errorMessage") or ""),
        daemon=daemon,
    )


@dataclass(frozen=True, slots=True)
class GlobalStat:
    """getGlobalStat plus the global limits and version the stats bar shows."""

    down_speed: int = 0
    up_speed: int = 0
    num_active: int = 0
    num_waiting: int = 0
    num_stopped: int = 0
    num_stopped_total: int = 0
    down_limit: int = 0
    up_limit: int = 0

    @classmethod
    def parse(cls, stat: Struct, options: Struct | None = None) -> GlobalStat:
        options = options or {}
        return cls(
            down_speed=_int(stat, "downloadSpeed"),
            up_speed=_int(stat, "uploadSpeed"),
            num_active=_int(stat, "numActive"),
            num_waiting=_int(stat, "numWaiting"),
            num_stopped=_int(stat, "numStopped"),
            num_stopped_total=_int(stat, "numStoppedTotal"),
            down_limit=_int(options, "max-overall-download-limit"),
            up_limit=_int(options, "max-overall-upload-limit"),
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one poll learned: downloads in aria2's order, and the totals."""

    downloads: tuple[Download, ...]
    stat: GlobalStat
    version: str = ""
