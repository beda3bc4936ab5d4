"""The test suite's own small fake aria2c: JSON-RPC over HTTP plus WebSocket notifications.

:class:`FakeDaemon` serves ``http://127.0.0.1:PORT/jsonrpc`` (and ``ws://`` on the same
URL) from a background thread with an event loop of its own, so a server told to
misbehave never blocks the loop of the app under test. It answers like aria2 1.37 from
:class:`Aria2Model` until :meth:`FakeDaemon.replace` swaps a method's result or
:meth:`FakeDaemon.set_behaviour` makes the HTTP replies hostile. :class:`TrickleProxy`
slows down any daemon. Like aria2, a JSON-RPC error is sent with HTTP 400/404/500 and
``Connection: close``; unlike aria2, ``Unauthorized`` comes without a 1 s delay.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

from tests.support.fake_aria2_model import Aria2Model, Params, RpcError, Struct, arg
from tests.support.fake_http import (
    JSON_RPC_TYPE,
    READ_SIZE,
    Behaviour,
    EndlessChunked,
    Half,
    Hang,
    Html,
    HttpError,
    HttpRequest,
    LoopThread,
    Raw,
    Reset,
    Sane,
    Trickle,
    TrickleProxy,
    WsClient,
    dumps,
    error_reply,
    head,
    hostile,
    method_names,
    read_request,
    send,
    send_reply,
)

__all__ = [
    "Behaviour",
    "EndlessChunked",
    "FakeDaemon",
    "Half",
    "Hang",
    "Html",
    "HttpError",
    "Raw",
    "Reset",
    "RpcError",
    "Sane",
    "Trickle",
    "TrickleProxy",
]

HTTP_STATUS_OF_ERROR = {1: 400, -32600: 400, -32601: 404}
FAULTS = ("refuse", "wrong-type", "stall", "drop", "lost-reply")


class FakeDaemon(Aria2Model, LoopThread):
    """A fake aria2c on a free port of 127.0.0.1: sane by default, hostile on demand.

    The model it serves is itself (see :class:`Aria2Model`); every public method is safe
    to call from any thread. ``secret`` works like aria2c's ``--rpc-secret``.
    """

    def __init__(self, *, secret: str | None = None) -> None:
        super().__init__()
        self.secret = secret
        self._overrides: dict[str, Any] = {}
        self._faults: dict[str, list[str]] = {}
        self._behaviour: Behaviour = Sane()
        self._ws: set[WsClient] = set()
        self._requests = 0
        self._methods: list[str] = []
        self._start("fake-aria2c")
        self.url = f"http://127.0.0.1:{self.port}/jsonrpc"
        self.ws_url = f"ws://127.0.0.1:{self.port}/jsonrpc"

    def replace(self, method: str, result: Any) -> None:
        """Answer ``method`` (also inside multicalls) with ``result``: a JSON value, an
        :class:`RpcError`, or ``callable(params) -> either`` (params without the token)."""
        with self.lock:
            self._overrides[method] = result

    def restore(self, method: str | None = None) -> None:
        """Undo :meth:`replace` for ``method``, or for every method."""
        with self.lock:
            for name in [method] if method else list(self._overrides):
                self._overrides.pop(name, None)

    def fail_once(self, method: str, fault: str) -> None:
        """The next call of ``method`` fails as ``fault`` says, once: ``refuse`` (a
        JSON-RPC error), ``wrong-type`` (a result of the wrong type, the call not
        done), ``stall`` (no answer, the connection held open), ``drop`` (the
        connection reset, the call not done) or ``lost-reply`` (the call done, then
        the connection reset before the answer)."""
        assert fault in FAULTS, fault
        with self.lock:
            self._faults.setdefault(method, []).append(fault)

    def set_behaviour(self, behaviour: Behaviour) -> None:
        """Shape the replies to the next requests. Only requests answered with :class:`Sane`,
        :class:`Trickle` or :class:`Half` reach the model; all are counted."""
        with self.lock:
            self._behaviour = behaviour

    def notify(self, method: str, gid: str) -> int:
        """Push a notification to every WebSocket client; return how many there were."""
        return self._push([_notification(method, gid)])

    def flood(
        self, count: int, method: str = "aria2.onDownloadStart", gid: str | None = None
    ) -> int:
        """Push ``count`` notifications at once, for ``gid`` or GIDs 0000…0, 0000…1, …"""
        return self._push([_notification(method, gid or f"{i:016x}") for i in range(count)])

    def send_ws_raw(self, text: str) -> int:
        """Push ``text`` as is, in one text frame, to every WebSocket client."""
        return self._push([text])

    @property
    def ws_clients(self) -> int:
        with self.lock:
            return len(self._ws)

    @property
    def request_count(self) -> int:
        """``POST /jsonrpc`` requests received, whatever the behaviour."""
        with self.lock:
            return self._requests

    @property
    def methods(self) -> list[str]:
        """Methods received over HTTP in order, multicalls replaced by their entries."""
        with self.lock:
            return list(self._methods)

    def reset_counters(self) -> None:
        with self.lock:
            self._requests, self._methods = 0, []

    # JSON-RPC, with the lock held

    def _answer(self, body: bytes) -> tuple[int, bytes]:
        """The HTTP status and body aria2 would answer to a JSON-RPC request body."""
        try:
            payload = json.loads(body)
        except ValueError:
            return 500, dumps(error_reply(None, -32700, "Parse error."))
        if isinstance(payload, list):  # a batch
            return 200, dumps([self._answer_one(request) for request in payload])
        reply = self._answer_one(payload)
        code = reply["error"]["code"] if "error" in reply else 0
        return (HTTP_STATUS_OF_ERROR.get(code, 500) if code else 200), dumps(reply)

    def _answer_one(self, request: Any) -> Struct:
        if not isinstance(request, dict):
            return error_reply(None, -32600, "Invalid Request.")
        rid, method, params = request.get("id"), request.get("method"), request.get("params", [])
        if not isinstance(method, str) or not isinstance(params, list):
            return error_reply(rid, -32600, "Invalid Request.")
        try:
            return {"id": rid, "jsonrpc": "2.0", "result": self._call(method, params)}
        except RpcError as exc:
            return {"id": rid, "jsonrpc": "2.0", "error": exc.as_struct()}

    def _call(self, method: str, params: Params) -> Any:
        if not method.startswith("system."):
            params = self._authorize(params)
        fault = self._take_fault(method, ("refuse", "wrong-type"))
        if fault == "refuse":
            raise RpcError(f"{method} refused (a fault the test asked for)")
        if fault == "wrong-type":
            return ["not", "what aria2 sends"]
        if method in self._overrides:
            result = self._overrides[method]
            result = result(params) if callable(result) else result
            if isinstance(result, RpcError):
                raise RpcError(result.message, result.code)
            return result
        if method == "system.multicall":
            return self._multicall(arg(params, 0))
        return super().call(method, params)

    def _authorize(self, params: Params) -> Params:
        """Strip aria2's ``token:`` first parameter; check it when there is a secret."""
        token = arg(params, 0)
        has_token = isinstance(token, str) and token.startswith("token:")
        if self.secret is not None and (not has_token or token != f"token:{self.secret}"):
            raise RpcError("Unauthorized")
        return params[1:] if has_token else params

    def _multicall(self, entries: Any) -> list[Any]:
        if not isinstance(entries, list):
            raise RpcError("system.multicall expected a list of structs")
        results: list[Any] = []
        for entry in entries:
            try:
                name = entry.get("methodName") if isinstance(entry, dict) else None
                if not isinstance(name, str) or name == "system.multicall":
                    raise RpcError("Recursive or malformed system.multicall entry.")
                results.append([self._call(name, entry.get("params", []))])
            except RpcError as exc:
                results.append(exc.as_struct())
        return results

    def _take_fault(self, method: str, kinds: tuple[str, ...]) -> str | None:
        """The next fault of ``kinds`` asked for ``method`` (taken), if any."""
        faults = self._faults.get(method)
        if faults and faults[0] in kinds:
            return faults.pop(0)
        return None

    def _http_fault(self, body: bytes) -> str | None:
        """The connection-level fault for a request calling a method that has one."""
        for method in method_names(body):
            fault = self._take_fault(method, ("stall", "drop", "lost-reply"))
            if fault is not None:
                return fault
        return None

    # serving

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader)) is not None:
            if request.websocket:
                return await self._serve_websocket(request, reader, writer)
            if request.method == "POST" and request.target.split("?")[0] == "/jsonrpc":
                keep = await self._serve_rpc(request, reader, writer)
            else:
                keep = await send(writer, 404, "text/plain", b"", request.keep_alive)
            if not keep:
                return

    async def _serve_rpc(
        self, request: HttpRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one ``POST /jsonrpc``; return whether to keep the connection."""
        with self.lock:
            self._requests += 1
            self._methods += method_names(request.body)
            behaviour = self._behaviour
            fault = self._http_fault(request.body)
        if fault == "lost-reply":
            with self.lock:
                self._answer(request.body)
        if fault is not None:
            behaviour = Hang() if fault == "stall" else Reset()
        keep = await hostile(behaviour, reader, writer, request.keep_alive)
        if keep is not None:
            return keep
        with self.lock:
            status, body = self._answer(request.body)
        half = isinstance(behaviour, Half)
        keep = request.keep_alive and status == 200 and not half
        data = (
            head(status, JSON_RPC_TYPE, len(body), keep) + body[: len(body) // 2 if half else None]
        )
        await send_reply(writer, data, behaviour)
        return keep

    async def _serve_websocket(
        self, request: HttpRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        client = WsClient(ServerProtocol(max_size=None), writer)
        client.protocol.receive_data(request.head)
        handshake = client.protocol.events_received()
        if handshake and isinstance(handshake[0], Request):
            client.protocol.send_response(client.protocol.accept(handshake[0]))
        if not client.flush() or client.protocol.state is not State.OPEN:
            return
        with self.lock:
            self._ws.add(client)
        try:
            while data := await reader.read(READ_SIZE):
                client.protocol.receive_data(data)  # queues the pongs and the close frame
                client.protocol.events_received()
                if not client.flush():
                    return
                await writer.drain()
        finally:
            with self.lock:
                self._ws.discard(client)

    def _push(self, texts: list[str]) -> int:
        async def push() -> int:
            with self.lock:
                clients = list(self._ws)
            for client in clients:
                for text in texts:
                    client.send(text)
            return len(clients)

        return self._run(push())


def _notification(method: str, gid: str) -> str:
    return json.dumps({"jsonrpc": "2.0", "method": method, "params": [{"gid": gid}]})
