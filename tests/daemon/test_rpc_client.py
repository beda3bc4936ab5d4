"""TestClient against a real aria2c: every method the app uses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from aria2_top.daemon.process import RunningDaemon
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2AuthError, Aria2RpcError
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.payloads import make_metalink, make_torrent
from tests.support.rpc import TestClient
from tests.support.waiting import wait_for_status, wait_until


async def test_version_and_session(client: TestClient) -> None:
    version = await client.get_version()
    assert version["version"] == "1.37.0"
    assert "BitTorrent" in version["enabledFeatures"]
    assert len((await client.get_session_info())["sessionId"]) == 40


async def test_add_uri_and_tell_with_keys(client: TestClient, files: FileServer) -> None:
    url = files.make_file("one.bin", 1 << 20)
    gid = await client.add_uri([url], {"max-download-limit": SLOW, "out": "one.bin"})
    status = await client.tell_status(gid, ["gid", "status", "totalLength"])
    assert set(status) == {"gid", "status", "totalLength"}
    assert status["gid"] == gid
    await wait_for_status(client, gid, {"active"})
    active = await client.tell_active(["gid", "status"])
    assert active == [{"gid": gid, "status": "active"}]
    assert await client.get_uris(gid) == [{"status": "used", "uri": url}]
    files_ = await client.get_files(gid)
    assert files_[0]["path"].endswith("one.bin")
    assert files_[0]["selected"] == "true"
    servers = await wait_until(
        lambda: client.get_servers(gid), lambda s: bool(s and s[0]["servers"]), what="servers"
    )
    assert servers[0]["servers"][0]["currentUri"] == url
    assert await client.get_peers(gid) == []


async def test_waiting_and_stopped_paging(client: TestClient, files: FileServer) -> None:
    url = files.make_file("page.bin", 1 << 20)
    gids = [await client.add_uri([url], {"pause": True}) for _ in range(5)]
    first = await client.tell_waiting(0, 2, ["gid"])
    rest = await client.tell_waiting(2, 10, ["gid"])
    assert [d["gid"] for d in first + rest] == gids
    failed = [await client.add_uri([files.url("missing.bin")]) for _ in range(3)]
    stopped = await wait_until(
        lambda: client.tell_stopped(0, 10, ["gid", "status", "errorCode"]),
        lambda s: len(s) == 3,
        what="3 stopped",
    )
    assert {d["gid"] for d in stopped} == set(failed)
    assert {(d["status"], d["errorCode"]) for d in stopped} == {("error", "3")}
    assert len(await client.tell_stopped(1, 1, ["gid"])) == 1
    assert len(await client.tell_waiting(0, 10, ["gid"])) == 5


async def test_pause_unpause_variants(client: TestClient, files: FileServer) -> None:
    url = files.make_file("pause.bin", 1 << 20)
    gid = await client.add_uri([url], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    assert await client.pause(gid) == gid
    await wait_for_status(client, gid, {"paused"})
    assert await client.unpause(gid) == gid
    await wait_for_status(client, gid, {"active", "waiting"})
    assert await client.force_pause(gid) == gid
    await wait_for_status(client, gid, {"paused"})
    assert await client.unpause_all() == "OK"
    await wait_for_status(client, gid, {"active", "waiting"})
    assert await client.pause_all() == "OK"
    await wait_for_status(client, gid, {"paused"})
    await client.unpause(gid)
    await wait_for_status(client, gid, {"active", "waiting"})
    assert await client.force_pause_all() == "OK"
    await wait_for_status(client, gid, {"paused"})


async def test_change_position(client: TestClient, files: FileServer) -> None:
    url = files.make_file("pos.bin", 1 << 20)
    gids = [await client.add_uri([url], {"pause": True}) for _ in range(3)]
    assert await client.change_position(gids[2], 0, "POS_SET") == 0
    assert await client.change_position(gids[0], 1, "POS_CUR") == 2
    assert await client.change_position(gids[1], 0, "POS_END") == 2
    order = [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]
    assert order == [gids[2], gids[0], gids[1]]


async def test_options_are_sent_as_strings(client: TestClient, files: FileServer) -> None:
    url = files.make_file("opt.bin", 1 << 20)
    gid = await client.add_uri([url], {"pause": True, "split": 3})
    options = await client.get_option(gid)
    assert options["split"] == "3"
    assert await client.change_option(gid, {"max-download-limit": 123456}) == "OK"
    assert (await client.get_option(gid))["max-download-limit"] == "123456"
    assert await client.change_global_option({"max-overall-download-limit": 654321}) == "OK"
    assert (await client.get_global_option())["max-overall-download-limit"] == "654321"


async def test_remove_and_results(client: TestClient, files: FileServer) -> None:
    url = files.make_file("rm.bin", 1 << 20)
    slow = {"max-download-limit": SLOW}
    a, b, c = [await client.add_uri([url], slow) for _ in range(3)]
    for gid in (a, b, c):
        await wait_for_status(client, gid, {"active"})
    assert await client.remove(a) == a
    assert await client.force_remove(b) == b
    assert await client.force_remove(c) == c
    await wait_for_status(client, a, {"removed"})
    await wait_for_status(client, c, {"removed"})
    assert await client.remove_download_result(a) == "OK"
    with pytest.raises(Aria2RpcError, match="not found"):
        await client.tell_status(a)
    await wait_for_status(client, b, {"removed"})
    assert await client.purge_download_result() == "OK"
    assert await client.tell_stopped(0, 10) == []


async def test_add_torrent(client: TestClient, tmp_path: Path) -> None:
    torrent = make_torrent(tmp_path, {"a.txt": 1000, "sub/b.txt": 2000})
    gid = await client.add_torrent(torrent, options={"pause": True})
    status = await client.tell_status(gid, ["bittorrent", "infoHash", "numPieces"])
    assert status["bittorrent"]["info"]["name"] == "bundle"
    assert len(status["infoHash"]) == 40
    paths = sorted(Path(f["path"]).name for f in await client.get_files(gid))
    assert paths == ["a.txt", "b.txt"]
    assert await client.get_peers(gid) == []


async def test_add_metalink(client: TestClient, files: FileServer) -> None:
    url = files.make_file("meta.bin", 4096)
    gids = await client.add_metalink(make_metalink("meta.bin", url, 4096), {"pause": True})
    assert len(gids) == 1
    uris = await client.get_uris(gids[0])
    assert [u["uri"] for u in uris] == [url]


async def test_multicall_sends_token_in_every_entry(client: TestClient) -> None:
    results = await client.multicall(
        [
            RpcCall("aria2.getVersion"),
            RpcCall("aria2.tellStatus", ["0000000000000001"]),
            RpcCall("aria2.getGlobalStat"),
            RpcCall("aria2.tellWaiting", [0, 10, ["gid"]]),
        ]
    )
    assert results[0]["version"] == "1.37.0"
    assert isinstance(results[1], Aria2RpcError)
    assert "not found" in results[1].message
    assert results[2]["numActive"] == "0"
    assert results[3] == []
    assert await client.multicall([]) == []


async def test_wrong_secret(daemon: RunningDaemon) -> None:
    async with TestClient(daemon.url, "wrong") as rpc:
        with pytest.raises(Aria2AuthError, match="secret"):
            await rpc.get_version()
        # aria2 refuses a multicall's entries one by one for a wrong secret: the
        # client says so once, in multicall, for every caller.
        with pytest.raises(Aria2AuthError, match="secret"):
            await rpc.multicall([RpcCall("aria2.getVersion"), RpcCall("aria2.tellActive")])
    async with TestClient(daemon.url) as rpc:
        with pytest.raises(Aria2AuthError):
            await rpc.get_global_stat()


async def test_save_session_and_shutdown(daemons: object, files: FileServer) -> None:
    from tests.conftest import DaemonFactory

    assert isinstance(daemons, DaemonFactory)
    daemon = await daemons.start(keep_session=True)
    url = files.make_file("sess.bin", 1 << 20)
    async with TestClient(daemon.url, daemon.secret) as rpc:
        await rpc.add_uri([url], {"pause": True})
        assert await rpc.save_session() == "OK"
        assert daemon.state_dir is not None
        assert url in (daemon.state_dir / "aria2c.session").read_text()
        assert await rpc.shutdown() == "OK"

    async def exited() -> bool:
        return daemon.exited()

    await wait_until(exited, what="aria2c to exit after shutdown")
    assert daemon.process is not None and daemon.process.returncode == 0


async def test_force_shutdown(daemon: RunningDaemon) -> None:
    async with TestClient(daemon.url, daemon.secret) as rpc:
        assert await rpc.force_shutdown() == "OK"

    async def exited() -> bool:
        return daemon.exited()

    await wait_until(exited, what="aria2c to exit after forceShutdown")


# -- pure units with a mock transport --------------------------------------------


async def test_calls_run_concurrently(client: TestClient) -> None:
    versions = await asyncio.gather(*(client.get_version() for _ in range(10)))
    assert {v["version"] for v in versions} == {"1.37.0"}


async def test_request_over_rpc_max_request_size_is_named(daemons: object) -> None:
    from aria2_top.rpc.errors import Aria2RequestTooLargeError
    from tests.conftest import DaemonFactory

    assert isinstance(daemons, DaemonFactory)
    small = await daemons.start(options={"rpc-max-request-size": "1M"})
    async with TestClient(small.url, small.secret) as rpc:
        with pytest.raises(Aria2RequestTooLargeError, match="rpc-max-request-size"):
            await rpc.add_torrent(b"d4:info" + b"x" * 2_000_000 + b"e")
        assert (await rpc.get_version())["version"] == "1.37.0"  # still talking
