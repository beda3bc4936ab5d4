"""The fake aria2c itself, checked with plain httpx and websockets clients."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.support.fake_daemon import (
    Behaviour,
    EndlessChunked,
    FakeDaemon,
    Half,
    Hang,
    Html,
    HttpError,
    Raw,
    Reset,
    RpcError,
    Sane,
    Trickle,
    TrickleProxy,
)
from tests.support.waiting import wait_until

VERSION = "1.37.0"


@pytest.fixture
def fake() -> Iterator[FakeDaemon]:
    with FakeDaemon() as daemon:
        yield daemon


def request(method: str, *params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": "t", "method": method, "params": list(params)}


def entry(method: str, *params: Any) -> dict[str, Any]:
    return {"methodName": method, "params": list(params)}


async def call(client: httpx.AsyncClient, url: str, method: str, *params: Any) -> Any:
    """The whole JSON-RPC reply (result or error) to one call."""
    return (await client.post(url, json=request(method, *params))).json()


async def ws_clients(daemon: FakeDaemon, count: int) -> None:
    async def probe() -> int:
        return daemon.ws_clients

    await wait_until(probe, lambda n: n == count, timeout=5, what=f"{count} WebSocket clients")


async def receive(ws: ClientConnection) -> Any:
    async with asyncio.timeout(5):
        return json.loads(await ws.recv())


async def test_multicall_answers_like_aria2(fake: FakeDaemon) -> None:
    active = fake.add("a.iso", total=2000, completed=100, down_speed=300)
    paused = fake.add("b.iso", "paused")
    missing = "0123456789abcdef"
    calls = [
        entry("aria2.tellActive", ["gid", "status", "downloadSpeed"]),
        entry("aria2.tellWaiting", 0, 10, ["gid"]),
        entry("aria2.getGlobalStat"),
        entry("aria2.tellStatus", missing),
    ]
    async with httpx.AsyncClient() as client:
        reply = await call(client, fake.url, "system.multicall", calls)
    assert reply["id"] == "t"
    assert reply["result"] == [
        [[{"gid": active, "status": "active", "downloadSpeed": "300"}]],
        [[{"gid": paused}]],
        [
            {
                "downloadSpeed": "300",
                "uploadSpeed": "0",
                "numActive": "1",
                "numWaiting": "1",
                "numStopped": "0",
                "numStoppedTotal": "0",
            }
        ],
        {"code": 1, "message": f"GID {missing} is not found"},
    ]
    assert fake.request_count == 1
    methods = ["aria2.tellActive", "aria2.tellWaiting", "aria2.getGlobalStat", "aria2.tellStatus"]
    assert fake.methods == methods
    fake.reset_counters()
    assert (fake.request_count, fake.methods) == (0, [])


async def test_structs_carry_aria2_fields_as_strings(fake: FakeDaemon) -> None:
    gid = fake.add("film.mkv", torrent=True)
    failed = fake.add("gone.bin", "error")
    async with httpx.AsyncClient() as client:
        info = (await call(client, fake.url, "aria2.tellStatus", gid))["result"]
        stopped = (await call(client, fake.url, "aria2.tellStopped", 0, 5))["result"]
        files = (await call(client, fake.url, "aria2.getFiles", gid))["result"]
    assert len(gid) == 16 and int(gid, 16) >= 0 and gid == gid.lower()
    for key in ("totalLength", "completedLength", "downloadSpeed", "connections", "numSeeders"):
        assert isinstance(info[key], str), key
    assert info["bittorrent"]["info"]["name"] == "film.mkv"
    assert len(info["infoHash"]) == 40
    assert files == info["files"]
    assert files[0]["path"].endswith("/film.mkv") and files[0]["selected"] == "true"
    assert [(s["gid"], s["status"], s["errorCode"]) for s in stopped] == [(failed, "error", "1")]


async def test_state_changes_and_options(fake: FakeDaemon) -> None:
    first, second = fake.add("1.bin", "waiting"), fake.add("2.bin", "waiting")
    async with httpx.AsyncClient() as client:

        async def result(method: str, *params: Any) -> Any:
            reply = await call(client, fake.url, method, *params)
            assert "result" in reply, reply
            return reply["result"]

        assert await result("aria2.changePosition", second, 0, "POS_SET") == 0
        assert [d["gid"] for d in await result("aria2.tellWaiting", 0, 9)] == [second, first]
        assert await result("aria2.pause", first) == first
        assert await result("aria2.unpause", first) == first
        assert (await result("aria2.tellStatus", first, ["status"])) == {"status": "active"}
        assert await result("aria2.remove", first) == first
        assert (await result("aria2.tellStopped", 0, 9, ["gid"])) == [{"gid": first}]
        assert await result("aria2.removeDownloadResult", first) == "OK"
        assert await result("aria2.changeOption", second, {"max-download-limit": 1024}) == "OK"
        assert (await result("aria2.getOption", second))["max-download-limit"] == "1024"
        assert await result("aria2.changeGlobalOption", {"max-concurrent-downloads": 2}) == "OK"
        assert (await result("aria2.getGlobalOption"))["max-concurrent-downloads"] == "2"
        assert await result("aria2.getPeers", second) == []
        assert (await result("aria2.getVersion"))["version"] == VERSION
        unknown = await call(client, fake.url, "aria2.frobnicate")
        paused_twice = await call(client, fake.url, "aria2.unpause", second)
    assert unknown["error"] == {"code": 1, "message": "No such method: aria2.frobnicate"}
    assert paused_twice["error"]["code"] == 1


async def test_secret_is_required_in_every_call_and_multicall_entry() -> None:
    with FakeDaemon(secret="s") as fake:
        async with httpx.AsyncClient() as client:
            denied = await client.post(fake.url, json=request("aria2.getVersion"))
            wrong = await call(client, fake.url, "aria2.getVersion", "token:nope")
            allowed = await call(client, fake.url, "aria2.getVersion", "token:s")
            listed = await call(client, fake.url, "system.listMethods")
            calls = [entry("aria2.getVersion", "token:s"), entry("aria2.getVersion")]
            multi = await call(client, fake.url, "system.multicall", calls)
    assert denied.status_code == 400
    assert denied.json()["error"] == {"code": 1, "message": "Unauthorized"}
    assert wrong["error"]["message"] == "Unauthorized"
    assert allowed["result"]["version"] == VERSION
    assert "aria2.tellActive" in listed["result"]
    assert multi["result"][0][0]["version"] == VERSION
    assert multi["result"][1] == {"code": 1, "message": "Unauthorized"}


async def test_replace_applies_to_direct_calls_and_multicalls(fake: FakeDaemon) -> None:
    fake.replace("aria2.tellActive", {"not": "a list"})
    fake.replace("aria2.getGlobalStat", lambda params: {"params": params})
    fake.replace("aria2.getVersion", RpcError("nope", code=7))
    calls = [entry("aria2.tellActive"), entry("aria2.getGlobalStat", 1), entry("aria2.getVersion")]
    async with httpx.AsyncClient() as client:
        direct = await call(client, fake.url, "aria2.tellActive")
        multi = await call(client, fake.url, "system.multicall", calls)
        fake.restore("aria2.tellActive")
        restored = await call(client, fake.url, "aria2.tellActive")
        fake.restore()
        version = await call(client, fake.url, "aria2.getVersion")
    assert direct["result"] == {"not": "a list"}
    assert multi["result"] == [
        [{"not": "a list"}],
        [{"params": [1]}],
        {"code": 7, "message": "nope"},
    ]
    assert restored["result"] == []
    assert version["result"]["version"] == VERSION


async def test_hang_never_answers(fake: FakeDaemon) -> None:
    fake.set_behaviour(Hang())
    async with httpx.AsyncClient(timeout=0.5) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post(fake.url, json=request("aria2.getVersion"))
        fake.set_behaviour(Sane())
        assert (await call(client, fake.url, "aria2.getVersion"))["result"]["version"] == VERSION
    assert fake.request_count == 2


async def test_trickle_sends_the_real_reply_slowly(fake: FakeDaemon) -> None:
    fake.set_behaviour(Trickle(step_bytes=16, step_seconds=0.08))  # ~250 bytes in ~1.2 s
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await client.post(fake.url, json=request("aria2.getVersion"))
        started = time.monotonic()
        response = await client.post(fake.url, json=request("aria2.getVersion"))
        elapsed = time.monotonic() - started
    assert response.json()["result"]["version"] == VERSION
    assert int(response.headers["content-length"]) == len(response.content)
    assert elapsed > 0.5


@pytest.mark.parametrize(
    ("behaviour", "errors"),
    [
        (Reset(), (httpx.ReadError, httpx.RemoteProtocolError)),
        (Half(), (httpx.RemoteProtocolError,)),
    ],
)
async def test_broken_replies_fail_then_recover(
    fake: FakeDaemon, behaviour: Behaviour, errors: tuple[type[Exception], ...]
) -> None:
    fake.set_behaviour(behaviour)
    async with httpx.AsyncClient(timeout=5) as client:
        with pytest.raises(errors):
            await client.post(fake.url, json=request("aria2.getVersion"))
        fake.set_behaviour(Sane())
        assert (await call(client, fake.url, "aria2.getVersion"))["result"]["version"] == VERSION


async def test_endless_chunked_reply_never_ends(fake: FakeDaemon) -> None:
    fake.set_behaviour(EndlessChunked())
    received = 0
    async with httpx.AsyncClient(timeout=10) as client:
        payload = request("aria2.getVersion")
        async with client.stream("POST", fake.url, json=payload) as response:
            assert response.headers["transfer-encoding"] == "chunked"
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received >= 5 * 2**20:
                    break
        fake.set_behaviour(Sane())
        assert (await call(client, fake.url, "aria2.getVersion"))["result"]["version"] == VERSION
    assert received >= 5 * 2**20


@pytest.mark.parametrize(
    ("behaviour", "status", "content_type", "body"),
    [
        (Raw(b'{"id":"t"', status=202), 202, "application/json", b'{"id":"t"'),
        (HttpError(502), 502, "text/plain", b"HTTP 502\n"),
        (Html(), 200, "text/html", b"<!DOCTYPE html>"),
    ],
)
async def test_canned_replies(
    fake: FakeDaemon, behaviour: Behaviour, status: int, content_type: str, body: bytes
) -> None:
    fake.set_behaviour(behaviour)
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(fake.url, json=request("aria2.getVersion"))
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert response.content.startswith(body)


async def test_notify_reaches_websocket_clients(fake: FakeDaemon) -> None:
    gid = fake.add("a.iso")
    async with connect(fake.ws_url) as ws:
        await ws_clients(fake, 1)
        assert fake.notify("aria2.onDownloadComplete", gid) == 1
        assert await receive(ws) == {
            "jsonrpc": "2.0",
            "method": "aria2.onDownloadComplete",
            "params": [{"gid": gid}],
        }
        assert fake.send_ws_raw("not json") == 1
        async with asyncio.timeout(5):
            assert await ws.recv() == "not json"
        async with asyncio.timeout(5):
            await (await ws.ping())  # the pong
    await ws_clients(fake, 0)


async def test_flood_delivers_every_message(fake: FakeDaemon) -> None:
    async with connect(fake.ws_url) as ws:
        await ws_clients(fake, 1)
        assert fake.flood(1000) == 1
        messages = [await receive(ws) for _ in range(1000)]
    assert {m["method"] for m in messages} == {"aria2.onDownloadStart"}
    assert [m["params"][0]["gid"] for m in messages] == [f"{i:016x}" for i in range(1000)]


async def test_trickle_proxy_slows_replies_only_while_trickling(fake: FakeDaemon) -> None:
    gid = fake.add("a.iso")
    with TrickleProxy(fake.url, step_bytes=1, step_seconds=0.05) as proxy:
        assert proxy.url != fake.url and proxy.url.endswith("/jsonrpc")
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await call(client, proxy.url, "aria2.getVersion"))["result"]["version"]
            proxy.trickle = True
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.5):
                    await client.post(proxy.url, json=request("aria2.getVersion"))
            proxy.trickle = False
            assert (await call(client, proxy.url, "aria2.tellActive", ["gid"]))["result"] == [
                {"gid": gid}
            ]
        async with connect(proxy.ws_url) as ws:
            await ws_clients(fake, 1)
            fake.notify("aria2.onDownloadPause", gid)
            assert (await receive(ws))["params"] == [{"gid": gid}]
