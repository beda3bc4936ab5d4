"""The RPC client with no daemon: refused connections, timeouts, the token's place,
identity encoding for loopback only, the secret kept out of repr, non-JSON replies."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from aria2_top.daemon.process import free_port
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2ProtocolError, Aria2TimeoutError
from tests.support.rpc import TestClient


async def test_connection_refused() -> None:
    async with TestClient(f"http://127.0.0.1:{free_port()}/jsonrpc") as rpc:
        with pytest.raises(Aria2ConnectionError, match="connection refused"):
            await rpc.get_version()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


async def test_timeout(silent_port: int) -> None:
    async with TestClient(f"http://127.0.0.1:{silent_port}/jsonrpc", timeout=0.3) as rpc:
        with pytest.raises(Aria2TimeoutError):
            await rpc.get_version()


def _recording_client(url: str, seen: list[httpx.Request], secret: str | None = "s") -> TestClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        if body["method"] == "system.multicall":
            return httpx.Response(
                200, json={"id": body["id"], "result": [["OK"]] * len(body["params"][0])}
            )
        result = {} if body["method"].startswith("aria2.get") else "OK"
        return httpx.Response(200, json={"id": body["id"], "result": result})

    return TestClient(url, secret, transport=httpx.MockTransport(handler))


async def test_token_placement_and_strings() -> None:
    seen: list[httpx.Request] = []
    async with _recording_client("http://127.0.0.1:6800/jsonrpc", seen) as rpc:
        await rpc.change_option("abc", {"pause": True, "split": 4, "header": ["A: b"]})
        await rpc.multicall([RpcCall("aria2.pause", ["abc"]), RpcCall("aria2.unpause", ["abc"])])
        await rpc.add_torrent(b"d4:infoe", options={"pause": False}, position=0)
    first, multi, torrent = (json.loads(r.content) for r in seen)
    assert first["params"] == [
        "token:s",
        "abc",
        {"pause": "true", "split": "4", "header": ["A: b"]},
    ]
    assert multi["params"] == [
        [
            {"methodName": "aria2.pause", "params": ["token:s", "abc"]},
            {"methodName": "aria2.unpause", "params": ["token:s", "abc"]},
        ]
    ]
    assert torrent["params"] == [
        "token:s",
        base64.b64encode(b"d4:infoe").decode(),
        [],
        {"pause": "false"},
        0,
    ]


async def test_identity_encoding_only_for_loopback() -> None:
    for url, expected in [
        ("http://127.0.0.1:6800/jsonrpc", "identity"),
        ("http://localhost:6800/jsonrpc", "identity"),
        ("http://[::1]:6800/jsonrpc", "identity"),
        ("https://example.org/jsonrpc", None),
    ]:
        seen: list[httpx.Request] = []
        async with _recording_client(url, seen, secret=None) as rpc:
            await rpc.get_version()
        encoding = seen[0].headers.get("accept-encoding")
        if expected is None:
            assert encoding != "identity"
        else:
            assert encoding == expected
        assert json.loads(seen[0].content)["params"] == []


async def test_secret_not_in_repr() -> None:
    rpc = TestClient("http://user:pw@127.0.0.1:6800/jsonrpc", "hunter2")
    assert "hunter2" not in repr(rpc) and "pw" not in repr(rpc)
    await rpc.aclose()


async def test_non_json_reply_is_a_protocol_error() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(502, text="<html>bad gateway</html>"))
    async with TestClient("http://127.0.0.1:1/jsonrpc", transport=transport) as rpc:
        with pytest.raises(Aria2ProtocolError, match="HTTP 502"):
            await rpc.get_version()
