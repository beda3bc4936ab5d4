"""What the details pane fetches (only for the download in focus, only for the
tab on screen, as one multicall per tick) and what it makes of the replies: typed,
checked models, so no widget ever reads a raw aria2 struct."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.model.file_tree import FileEntry, parse_files
from aria2_top.model.overview import Overview, parse_overview
from aria2_top.model.peers import Peer, parse_peer
from aria2_top.model.pieces import Pieces, parse_pieces


class Tab(StrEnum):
    """The details pane's tabs, in order (keys 1-7)."""

    OVERVIEW = "overview"
    FILES = "files"
    PEERS = "peers"
    SERVERS = "servers"
    PIECES = "pieces"
    OPTIONS = "options"
    SPEED = "speed"

    @property
    def label(self) -> str:
        return {Tab.SERVERS: "Servers/URIs", Tab.SPEED: "Speed"}.get(self, self.value.title())


FILES_KEYS = ["gid", "dir", "status", "bittorrent", "numPieces"]
PEERS_KEYS = ["gid", "status", "numPieces", "infoHash"]
PIECES_KEYS = [
    "gid",
    "status",
    "bitfield",
    "numPieces",
    "pieceLength",
    "totalLength",
    "completedLength",
]


Call = tuple[str, list[object]]
"""A JSON-RPC call as the model names it: (method, parameters)."""


@dataclass(frozen=True, slots=True)
class Refused:
    """aria2 answered one call with an error: its words (the live layer turns its
    RPC errors into these before a tab is read)."""

    message: str


def calls_for(tab: Tab, gid: str) -> list[Call]:
    """The calls that fill ``tab`` for download ``gid`` (none for speed history,
    which comes from the main poll)."""
    if tab is Tab.OVERVIEW:
        return [("aria2.tellStatus", [gid]), ("aria2.getOption", [gid])]
    if tab is Tab.FILES:
        return [("aria2.tellStatus", [gid, FILES_KEYS]), ("aria2.getFiles", [gid])]
    if tab is Tab.PEERS:
        return [("aria2.tellStatus", [gid, PEERS_KEYS]), ("aria2.getPeers", [gid])]
    if tab is Tab.SERVERS:
        return [("aria2.getServers", [gid]), ("aria2.getUris", [gid]), ("aria2.getFiles", [gid])]
    if tab is Tab.PIECES:
        return [("aria2.tellStatus", [gid, PIECES_KEYS])]
    if tab is Tab.OPTIONS:
        return [("aria2.getOption", [gid])]
    return []


@dataclass(frozen=True, slots=True)
class Files:
    """The Files tab: the download's files below its folder."""

    folder: str
    entries: list[FileEntry]


@dataclass(frozen=True, slots=True)
class Peers:
    """The Peers tab: ``peers`` by download speed; ``is_torrent`` False for HTTP/FTP."""

    is_torrent: bool
    peers: list[Peer]


@dataclass(frozen=True, slots=True)
class Server:
    """A server a file is being fetched from."""

    file_index: int | None
    uri: str
    down_speed: int | None


@dataclass(frozen=True, slots=True)
class Uri:
    """One of the download's URIs and its state (``used`` or ``waiting``)."""

    state: str
    uri: str


@dataclass(frozen=True, slots=True)
class Servers:
    """The Servers/URIs tab."""

    servers: list[Server]
    uris: list[Uri]


TabData = Overview | Files | Peers | Servers | Pieces | dict[str, str]
"""What one tab shows; options are a plain name -> value mapping."""


_OPTIONAL_CALLS = {Tab.OVERVIEW: {1}, Tab.PEERS: {1}, Tab.SERVERS: {0, 1}}
"""Calls of a tab that aria2 refuses in some states (getPeers of an HTTP download,
getServers of one not running, getUris of a failed one): the tab shows the rest (the
URIs then come from the file list; the Overview goes without its Streaming row)."""


class TabUnavailable(Exception):
    """aria2 refused or garbled what a tab needs; the message says so in words."""


def parse_tab(tab: Tab, results: Sequence[object], carried: int = 0) -> TabData:
    """The model of ``tab`` from the replies to :func:`calls_for`; raises
    :class:`TabUnavailable` when aria2 refused a call or sent the wrong types."""
    optional = _OPTIONAL_CALLS.get(tab, set())
    errors = [
        r for index, r in enumerate(results) if isinstance(r, Refused) and index not in optional
    ]
    if errors:
        raise TabUnavailable(f"aria2 says: {errors[0].message}")
    if tab is Tab.OVERVIEW:
        options = results[1] if len(results) > 1 and isinstance(results[1], dict) else {}
        return parse_overview(_object(results[0], "aria2.tellStatus"), options, carried)
    if tab is Tab.FILES:
        status = _object(results[0], "aria2.tellStatus")
        folder = fields.text(status.get("dir")) or ""
        return Files(folder, parse_files(_list(results[1], "aria2.getFiles"), folder))
    if tab is Tab.PEERS:
        status = _object(results[0], "aria2.tellStatus")
        raw = [] if isinstance(results[1], Refused) else results[1]
        num_pieces = fields.count(status.get("numPieces")) or None
        peers = [parse_peer(peer, num_pieces) for peer in fields.structs(raw)]
        peers.sort(key=lambda peer: -(peer.down_speed or 0))
        return Peers("infoHash" in status, peers)
    if tab is Tab.SERVERS:
        servers, uris = ([] if isinstance(r, Refused) else r for r in results[:2])
        if not uris:  # not running, or failed: the files still know their URIs
            files = fields.structs(_list(results[2], "aria2.getFiles"))
            uris = files[0].get("uris") if files else []
        return Servers(
            _servers(_list(servers, "aria2.getServers")),
            [
                Uri(fields.text(uri.get("status"), 16) or "?", fields.text(uri.get("uri")) or "?")
                for uri in fields.structs(uris)
            ],
        )
    if tab is Tab.PIECES:
        return parse_pieces(_object(results[0], "aria2.tellStatus"))
    if tab is Tab.OPTIONS:
        options = _object(results[0], "aria2.getOption")
        return {
            name: value
            for name, value in options.items()
            if isinstance(name, str) and isinstance(value, str)
        }
    raise TabUnavailable(f"the {tab.label} tab fetches nothing")


def _servers(files: list[object]) -> list[Server]:
    return [
        Server(
            fields.count(file.get("index")),
            fields.text(server.get("currentUri")) or fields.text(server.get("uri")) or "?",
            fields.count(server.get("downloadSpeed")),
        )
        for file in fields.structs(files)
        for server in fields.structs(file.get("servers"))
    ]


def _object(value: object, method: str) -> Struct:
    if not isinstance(value, dict):
        raise TabUnavailable(f"aria2 sent a malformed reply to {method}")
    return value


def _list(value: object, method: str) -> list[object]:
    if not isinstance(value, list):
        raise TabUnavailable(f"aria2 sent a malformed reply to {method}")
    return value
