"""What the details pane fetches: only for the download in focus, only for the
tab on screen, as one multicall per tick."""

from __future__ import annotations

from enum import StrEnum

from aria2_top.rpc.client import RpcCall


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


def calls_for(tab: Tab, gid: str) -> list[RpcCall]:
    """The RPC calls that fill ``tab`` for download ``gid`` (none for speed history,
    which comes from the main poll)."""
    if tab is Tab.OVERVIEW:
        return [RpcCall("aria2.tellStatus", [gid])]
    if tab is Tab.FILES:
        return [RpcCall("aria2.tellStatus", [gid, FILES_KEYS]), RpcCall("aria2.getFiles", [gid])]
    if tab is Tab.PEERS:
        return [RpcCall("aria2.tellStatus", [gid, PEERS_KEYS]), RpcCall("aria2.getPeers", [gid])]
    if tab is Tab.SERVERS:
        return [RpcCall("aria2.getServers", [gid]), RpcCall("aria2.getUris", [gid])]
    if tab is Tab.PIECES:
        return [RpcCall("aria2.tellStatus", [gid, PIECES_KEYS])]
    if tab is Tab.OPTIONS:
        return [RpcCall("aria2.getOption", [gid])]
    return []
