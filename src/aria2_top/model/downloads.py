"""Downloads and daemon statistics, parsed from aria2's structs into plain values.

aria2 sends every number as a string; these classes hold ints, or None where the
daemon sent something unusable (the table shows ``?`` there). A :class:`Download`
knows its *display* status, which refines aria2's six statuses: a finished torrent
still uploading is ``seeding``, a magnet fetching its metadata is ``metadata``,
and a download whose pieces are being hash-checked is ``checking``.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Container
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.model.magnets import INFO_HASH, magnet_link


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
    UNKNOWN = "unknown"
    """aria2 sent a status it does not document."""


RUNNING = frozenset({Status.ACTIVE, Status.SEEDING, Status.METADATA, Status.CHECKING})
"""Transferring (or hash-checking): aria2's ``active``."""
QUEUED = frozenset({Status.WAITING, Status.PAUSED})
"""In the queue, with a position."""
STOPPED = frozenset({Status.COMPLETE, Status.ERROR, Status.REMOVED})
"""Results aria2 keeps until they are cleared."""


def group_of(status: Status) -> str:
    """Which of aria2's three lists a download of ``status`` is in: ``running``,
    ``queued`` or ``stopped`` (``unknown`` for a status aria2 does not document). The
    table keeps each list together in queue order."""
    if status in RUNNING:
        return "running"
    if status in QUEUED:
        return "queued"
    return "stopped" if status in STOPPED else "unknown"


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
    "dir",
    "numPieces",
    "pieceLength",
)
"""The tellStatus keys the table needs each tick: small, with no file lists."""

NAME_KEYS: tuple[str, ...] = ("gid", "bittorrent", "files")
"""The keys to work out a download's name: fetched once per download, not per tick."""
FIRST_KEYS: tuple[str, ...] = (*TABLE_KEYS, *NAME_KEYS[1:])
"""What the first look at aria2's lists asks of each download: its row and its name
(the poller's first tick, and the first rows before the app)."""


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What the name lookup learned about one download."""

    name: str
    is_metadata: bool = False
    final: bool = False
    """From torrent info or a known file path: it will not change any more."""
    files_size: int = 0
    """The sum of the files' lengths: the size of a torrent aria2 has not started yet
    (it reports 0 until then)."""
    source: str = ""
    """Where it comes from: its first URI (a torrent's source is its info hash, which
    every tick's struct holds)."""


def name_of(struct: Struct) -> NameInfo:
    """Torrent name, else the first file's base name, else its first URI, else ``?``."""
    info = fields.struct((fields.struct(struct.get("bittorrent")) or {}).get("info"))
    torrent_name = fields.text(info.get("name")) if info else None
    files = fields.structs(struct.get("files"))
    if torrent_name:
        size = sum(fields.count(file.get("length")) or 0 for file in files)
        return NameInfo(torrent_name, final=True, files_size=size)
    first = files[0] if files else {}
    path = fields.text(first.get("path")) or ""
    if path.startswith("[METADATA]"):
        return NameInfo(path, is_metadata=True)
    uris = fields.structs(first.get("uris"))
    uri = (fields.text(uris[0].get("uri")) if uris else None) or ""
    if path:
        name = posixpath.basename(path.replace("\\", "/")) or path
        return NameInfo(name, final=True, source=uri)
    if uri:
        return NameInfo(uri_name(uri), source=uri)
    return NameInfo("?")


def uri_name(uri: str) -> str:
    """The file name part of a URI (``…/x/file.iso?a=b`` -> ``file.iso``), else the URI."""
    path = urlsplit(uri).path
    base = unquote(posixpath.basename(path)) if path else ""
    return base or uri


class DownloadKey(NamedTuple):
    """A download's identity: GIDs are unique only within one daemon, so everything
    that names a download (rows, tags, histories, actions) uses the pair."""

    daemon: str
    gid: str

    def __str__(self) -> str:
        return f"{self.daemon}/{self.gid}"


@dataclass(frozen=True, slots=True)
class Download:
    """One row of the table: a download with plain values and a display status.

    A number is None when aria2 sent something unusable for it.
    """

    gid: str
    status: Status
    name: str
    aria2_status: str
    total: int | None = 0
    completed: int | None = 0
    uploaded: int | None = 0
    down_speed: int | None = 0
    up_speed: int | None = 0
    connections: int | None = 0
    seeders: int | None = 0
    is_torrent: bool = False
    verified: int | None = None
    queue_position: int | None = None
    error_code: str = ""
    error_message: str = ""
    daemon: str = ""
    """The name of the daemon it is on."""
    malformed: bool = False
    """aria2 sent an unusable value for one of the row's numbers, or an unknown status."""
    folder: str = ""
    """Its ``dir``, as aria2 names it."""
    num_pieces: int | None = 0
    piece_length: int | None = 0
    source: str = ""
    """Its first URI, or a torrent's magnet link (info hash and name): what adds it again."""
    added: float | None = None
    """When it was first seen (Unix time, from the history); None: not known."""
    ended: float | None = None
    """When it was first seen finished or failed (Unix time, from the history)."""
    limits: tuple[int | None, int | None] | None = None
    """Its own (↓, ↑) limits in bytes a second, 0: none (None: not looked up)."""
    key: DownloadKey = field(init=False, repr=False, compare=False)
    """(daemon, GID): made once, as rows, tags and caches look it up every tick."""
    folded_name: str = field(init=False, repr=False, compare=False)
    """The name casefolded, for the filter (which may test 100,000 of them a key)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", DownloadKey(self.daemon, self.gid))
        object.__setattr__(self, "folded_name", self.name.casefold())

    @property
    def progress(self) -> float | None:
        """0.0 to 1.0 (a hash check reports its own progress); None when unknown."""
        if self.total is None:
            return None
        if self.status is Status.CHECKING and self.total:
            return min(1.0, (self.verified or 0) / self.total)
        if self.completed is None:
            return None
        if self.total <= 0:
            return 1.0 if self.aria2_status == "complete" else 0.0
        return min(1.0, self.completed / self.total)

    @property
    def eta(self) -> float | None:
        """Seconds left at the current speed; None when it cannot be told."""
        if not self.down_speed or not self.total or self.completed is None:
            return None
        if self.completed >= self.total:
            return None
        return (self.total - self.completed) / self.down_speed

    @property
    def pieces_done(self) -> int | None:
        """Pieces fully here (from the bytes done; all of them once complete)."""
        if not self.num_pieces or not self.piece_length or self.completed is None:
            return None
        if self.total and self.completed >= self.total:
            return self.num_pieces
        return min(self.num_pieces, self.completed // self.piece_length)

    @property
    def ratio(self) -> float | None:
        """Uploaded / downloaded for torrents; None for other downloads or when unknown."""
        if not self.is_torrent or self.uploaded is None or self.completed is None:
            return None
        return self.uploaded / self.completed if self.completed else 0.0


ListedEntry = tuple[Struct, str, int | None]
"""(struct, GID, queue position) of one download of aria2's lists."""


def listed_entries(
    active: list[Struct],
    waiting: list[Struct],
    stopped: list[Struct],
    known: Container[str] = (),
) -> tuple[list[ListedEntry], dict[str, str]]:
    """(struct, GID, queue position) of every entry of aria2's lists (running, waiting,
    stopped) with a valid GID, each GID once (the first wins), and each GID's aria2
    status. GIDs in ``known`` were checked before: only others are matched against
    aria2's GID format. Only the waiting have a place in the queue."""
    present: dict[str, str] = {}
    kept: list[ListedEntry] = []
    positions = itertools.chain(
        itertools.repeat(None, len(active)), range(len(waiting)), itertools.repeat(None)
    )
    everything = itertools.chain(active, waiting, stopped)
    for struct, position in zip(everything, positions, strict=False):  # positions: endless
        gid = struct.get("gid")
        if isinstance(gid, str) and gid not in present and (gid in known or fields.is_gid(gid)):
            present[gid] = str(struct.get("status"))
            kept.append((struct, gid, position))
    return kept, present


def with_times(download: Download, added: float | None, ended: float | None) -> Download:
    """``download``, just made by :func:`parse_download` and held by no one else yet,
    given its times from the history. Set in place: a copy of its thirty fields would
    cost twenty times more, and the poller makes 100,000 downloads at start."""
    object.__setattr__(download, "added", added)
    object.__setattr__(download, "ended", ended)
    return download


def display_status(struct: Struct, is_metadata: bool) -> Status:
    """The refined status shown to the user (see the module docstring)."""
    raw = struct.get("status")
    if not isinstance(raw, str):  # a list, an object: nothing to look up
        return Status.UNKNOWN
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
    if raw in _ARIA2_STATUSES:
        return Status(raw)
    return Status.UNKNOWN


_NUMBER_KEYS = (
    "totalLength",
    "completedLength",
    "uploadLength",
    "downloadSpeed",
    "uploadSpeed",
    "connections",
)
_ARIA2_STATUSES = frozenset({"waiting", "paused", "complete", "error", "removed"})


def parse_download(
    struct: Struct,
    name: NameInfo,
    queue_position: int | None = None,
    daemon: str = "",
    limits: tuple[int | None, int | None] | None = None,
) -> Download:
    """A :class:`Download` from a tellStatus struct (whose ``gid`` the caller checked),
    its looked-up name and, when known, its own (↓, ↑) limits; unusable numbers
    become None."""
    verified = struct.get("verifiedLength")
    is_torrent = "infoHash" in struct
    info_hash = fields.text(struct.get("infoHash"), 64) or ""
    error_code = fields.text(struct.get("errorCode"), 8) or ""
    status = display_status(struct, name.is_metadata)
    numbers = [fields.count(struct.get(key)) for key in _NUMBER_KEYS]
    if status not in RUNNING:  # aria2's moving average lingers for seconds: not real
        numbers[3:5] = [None if speed is None else 0 for speed in numbers[3:5]]
    seeders = fields.count(struct.get("numSeeders")) if is_torrent else 0
    if numbers[0] == 0 and name.files_size:  # a torrent not started yet
        numbers[0] = name.files_size
    return Download(
        gid=str(struct["gid"]),
        status=status,
        name=name.name,
        aria2_status=fields.text(struct.get("status"), 16) or "?",
        total=numbers[0],
        completed=numbers[1],
        uploaded=numbers[2],
        down_speed=numbers[3],
        up_speed=numbers[4],
        connections=numbers[5],
        seeders=seeders,
        is_torrent=is_torrent,
        verified=None if verified is None else fields.count(verified),
        queue_position=queue_position,
        error_code=error_code if error_code.isdigit() else "",
        error_message=fields.text(struct.get("errorMessage")) or "",
        daemon=daemon,
        malformed=status is Status.UNKNOWN
        or seeders is None
        or None in numbers
        or _bad_flag(struct, "seeder")
        or _bad_flag(struct, "verifyIntegrityPending"),
        folder=fields.text(struct.get("dir")) or "",
        num_pieces=fields.count(struct.get("numPieces")) or 0,
        piece_length=fields.count(struct.get("pieceLength")) or 0,
        source=_source(info_hash, name),
        limits=limits,
    )


def _bad_flag(struct: Struct, key: str) -> bool:
    """Whether ``key`` is there but not aria2's ``"true"``/``"false"``."""
    return key in struct and fields.flag(struct[key]) is None


def _source(info_hash: str, name: NameInfo) -> str:
    """A torrent's magnet link (by info hash and name), else the first URI."""
    if info_hash and INFO_HASH.match(info_hash):
        shown = "" if name.name == "?" or name.is_metadata else name.name
        return magnet_link(info_hash.lower(), shown)
    return name.source


@dataclass(frozen=True, slots=True)
class GlobalStat:
    """getGlobalStat plus the global limits the stats bar shows (None: unusable)."""

    down_speed: int | None = 0
    up_speed: int | None = 0
    num_active: int | None = 0
    num_waiting: int | None = 0
    num_stopped: int | None = 0
    num_stopped_total: int | None = 0
    down_limit: int | None = 0
    up_limit: int | None = 0
    download_dir: str = ""
    """The daemon's download folder (its ``dir``), as it names it."""
    max_concurrent: int | None = None
    """Its ``max-concurrent-downloads``: how many run at once (None: not known)."""

    @classmethod
    def parse(cls, stat: Struct, options: Struct | None = None) -> GlobalStat:
        options = options or {}
        return cls(
            down_speed=fields.count(stat.get("downloadSpeed")),
            up_speed=fields.count(stat.get("uploadSpeed")),
            num_active=fields.count(stat.get("numActive")),
            num_waiting=fields.count(stat.get("numWaiting")),
            num_stopped=fields.count(stat.get("numStopped")),
            num_stopped_total=fields.count(stat.get("numStoppedTotal")),
            down_limit=fields.count(options.get("max-overall-download-limit")),
            up_limit=fields.count(options.get("max-overall-upload-limit")),
            download_dir=fields.text(options.get("dir")) or "",
            max_concurrent=fields.count(options.get("max-concurrent-downloads")),
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one poll learned: downloads in aria2's order, the totals, and what
    was wrong with the reply (one line each, for the stats bar)."""

    downloads: tuple[Download, ...]
    stat: GlobalStat
    version: str = ""
    problems: tuple[str, ...] = ()
    asked_at: float = 0.0
    """``time.monotonic()`` when the poll was sent: it shows everything aria2 did
    with requests that reached it before."""
    listed: tuple[Download, ...] = ()
    """The end of ``downloads`` that is the waiting and stopped lists. The poller
    hands the same tuple again while it has not fetched them anew, so what is
    worked out from them can be kept while ``listed`` is the same object."""
    partial: bool = False
    """Only the first rows, shown while the whole table is on its way."""

    @property
    def running(self) -> tuple[Download, ...]:
        """The downloads before :attr:`listed`: the ones that change tick by tick."""
        return self.downloads[: len(self.downloads) - len(self.listed)]


def finished_or_failed(
    before: Snapshot | None, after: Snapshot
) -> tuple[list[Download], list[Download]]:
    """(downloads that finished, downloads that failed) since ``before``: those that
    were running or queued then, or new since (one can start and end between two
    polls). Nothing on the first snapshot (no news, only state)."""
    if before is None or before.partial:
        return [], []
    changed, earlier = after.downloads, before.downloads
    if after.listed and after.listed is before.listed:
        # The lists are the very same downloads as before: only the running ones
        # can have changed, and most were running before too.
        changed, earlier = after.running, before.running
    by_gid = {d.gid: d for d in earlier}
    finished, failed = [], []
    for download in changed:
        old = by_gid.get(download.gid)
        if old is None and earlier is not before.downloads:
            earlier = before.downloads  # it was in the lists: look there once
            by_gid = {d.gid: d for d in earlier}
            old = by_gid.get(download.gid)
        if old is download or (old is not None and old.status in STOPPED):
            continue
        if download.status is Status.COMPLETE or (
            download.status is Status.SEEDING and (old is None or old.status is not Status.SEEDING)
        ):
            finished.append(download)
        elif download.status is Status.ERROR:
            failed.append(download)
    return finished, failed
