"""The RPC client with the calls only the tests make, to drive aria2c by hand: the
app makes them through one multicall or through the model's own calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aria2_top.rpc.client import (
    Aria2Client,
    Options,
    Struct,
    add_metalink_call,
    add_torrent_call,
    add_uri_call,
    expect,
)


class TestClient(Aria2Client):
    """:class:`Aria2Client` and the test suite's own calls."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    async def add_uri(
        self, uris: Sequence[str], options: Options | None = None, position: int | None = None
    ) -> str:
        """aria2.addUri: ``uris`` are mirrors of one file. Returns the new GID."""
        call = add_uri_call(uris, options, position)
        return expect(await self.call(call.method, *call.params), str, call.method)

    async def add_torrent(
        self,
        torrent: bytes,
        uris: Sequence[str] = (),
        options: Options | None = None,
        position: int | None = None,
    ) -> str:
        """aria2.addTorrent with the .torrent file's bytes. Returns the new GID."""
        call = add_torrent_call(torrent, uris, options, position)
        return expect(await self.call(call.method, *call.params), str, call.method)

    async def add_metalink(
        self, metalink: bytes, options: Options | None = None, position: int | None = None
    ) -> list[str]:
        """aria2.addMetalink with the metalink file's bytes. Returns the new GIDs."""
        call = add_metalink_call(metalink, options, position)
        gids = expect(await self.call(call.method, *call.params), list, call.method)
        return [expect(gid, str, call.method) for gid in gids]

    async def tell_active(self, keys: Sequence[str] | None = None) -> list[Struct]:
        """aria2.tellActive: the downloads being transferred."""
        params = [] if keys is None else [list(keys)]
        return expect(await self.call("aria2.tellActive", *params), list, "aria2.tellActive")

    async def tell_stopped(
        self, offset: int, num: int, keys: Sequence[str] | None = None
    ) -> list[Struct]:
        """aria2.tellStopped: complete, failed and removed downloads still kept as results."""
        params: list[Any] = [offset, num] if keys is None else [offset, num, list(keys)]
        return expect(await self.call("aria2.tellStopped", *params), list, "aria2.tellStopped")

    async def get_global_stat(self) -> Struct:
        """aria2.getGlobalStat: overall speeds and counts."""
        return expect(await self.call("aria2.getGlobalStat"), dict, "aria2.getGlobalStat")

    async def get_session_info(self) -> Struct:
        """aria2.getSessionInfo: ``{"sessionId": ...}``."""
        return expect(await self.call("aria2.getSessionInfo"), dict, "aria2.getSessionInfo")

    async def get_files(self, gid: str) -> list[Struct]:
        """aria2.getFiles: the download's files with their selection and progress."""
        return expect(await self.call("aria2.getFiles", gid), list, "aria2.getFiles")

    async def get_peers(self, gid: str) -> list[Struct]:
        """aria2.getPeers: the BitTorrent peers of a torrent download."""
        return expect(await self.call("aria2.getPeers", gid), list, "aria2.getPeers")

    async def get_servers(self, gid: str) -> list[Struct]:
        """aria2.getServers: the HTTP/FTP servers in use, per file."""
        return expect(await self.call("aria2.getServers", gid), list, "aria2.getServers")

    async def get_uris(self, gid: str) -> list[Struct]:
        """aria2.getUris: the download's URIs with ``used``/``waiting`` status."""
        return expect(await self.call("aria2.getUris", gid), list, "aria2.getUris")

    async def force_pause(self, gid: str) -> str:
        """aria2.forcePause: pause without the clean-up."""
        return str(await self.call("aria2.forcePause", gid))

    async def force_pause_all(self) -> str:
        """aria2.forcePauseAll."""
        return str(await self.call("aria2.forcePauseAll"))

    async def force_remove(self, gid: str) -> str:
        """aria2.forceRemove: stop a download without the clean-up."""
        return str(await self.call("aria2.forceRemove", gid))
