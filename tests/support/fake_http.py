"""The fake daemon's HTTP side, by hand: how a reply goes (sane or hostile
behaviours), HTTP/1.1 requests and replies, the background server on 127.0.0.1 in a
thread of its own, WebSocket clients, and :class:`TrickleProxy` that slows down any
daemon."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from websockets.protocol import State
from websockets.server import ServerProtocol

T = TypeVar("T")
Struct = dict[str, Any]

JSON_RPC_TYPE = "application/json-rpc"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body></body></html>\n"
READ_SIZE = 65536


# --- behaviours: how the replies to the next POST /jsonrpc go -----------------------------


@dataclass(frozen=True)
class Sane:
    """Answer normally."""


@dataclass(frozen=True)
class Hang:
    """Read the request, never answer, keep the socket open until the client leaves."""


@dataclass(frozen=True)
class Trickle:
    """The real reply, headers included, ``step_bytes`` every ``step_seconds``."""

    step_bytes: int = 1
    step_seconds: float = 0.1


@dataclass(frozen=True)
class Reset:
    """Reset the connection (TCP RST) right after reading the request."""


@dataclass(frozen=True)
class Half:
    """Announce the full Content-Length, send half the body, close."""


@dataclass(frozen=True)
class EndlessChunked:
    """``Transfer-Encoding: chunked`` blanks, ``chunk`` bytes at a time, until the client leaves."""

    chunk: int = 65536


@dataclass(frozen=True)
class Raw:
    """Answer exactly ``body``."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200


@dataclass(frozen=True)
class HttpError:
    """A bare HTTP error, as a broken reverse proxy sends."""

    status: int = 500


@dataclass(frozen=True)
class Html:
    """200 with an HTML page (a captive portal, a web UI on the wrong port)."""


Behaviour = Sane | Hang | Trickle | Reset | Half | EndlessChunked | Raw | HttpError | Html


# --- HTTP/1.1 by hand ---------------------------------------------------------------------


@dataclass
class HttpRequest:
    method: str
    target: str
    headers: dict[str, str]
    head: bytes
    body: bytes = b""

    @property
    def keep_alive(self) -> bool:
        return self.headers.get("connection", "").lower() != "close"

    @property
    def websocket(self) -> bool:
        return self.headers.get("upgrade", "").lower() == "websocket"


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """The next request on a keep-alive connection, or None once the client left."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    pairs = (line.split(":", 1) for line in lines[1:] if ":" in line)
    request = HttpRequest(method, target, {k.strip().lower(): v.strip() for k, v in pairs}, head)
    if not request.websocket:
        length = int(request.headers.get("content-length", "0"))
        request.body = await reader.readexactly(length)
    return request


def head(status: int, content_type: str, length: int | None, keep_alive: bool) -> bytes:
    phrase = {known.value: known.phrase for known in HTTPStatus}.get(status, "Unknown")
    lines = [f"HTTP/1.1 {status} {phrase}", f"Content-Type: {content_type}"]
    lines.append("Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}")
    lines += [] if keep_alive else ["Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send(
    writer: asyncio.StreamWriter, status: int, content_type: str, body: bytes, keep: bool
) -> bool:
    writer.write(head(status, content_type, len(body), keep) + body)
    await writer.drain()
    return keep


async def hostile(
    behaviour: Behaviour, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, keep: bool
) -> bool | None:
    """Answer like ``behaviour`` if it doesn't send the real reply: whether to keep the
    connection; None if the real reply is needed."""
    match behaviour:
        case Hang():
            while await reader.read(READ_SIZE):
                pass
        case Reset():
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        case EndlessChunked(chunk):
            writer.write(head(200, JSON_RPC_TYPE, None, True))
            while not writer.is_closing():
                writer.write(f"{chunk:x}\r\n".encode() + b" " * chunk + b"\r\n")
                await writer.drain()
        case Raw(body, content_type, status):
            return await send(writer, status, content_type, body, keep)
        case HttpError(status):
            return await send(writer, status, "text/plain", f"HTTP {status}\n".encode(), False)
        case Html():
            return await send(writer, 200, "text/html", HTML_PAGE, keep)
        case _:
            return None
    return False


async def send_reply(writer: asyncio.StreamWriter, data: bytes, behaviour: Behaviour) -> None:
    """Send the real reply ``data``, all at once, trickling or only its first half."""
    if isinstance(behaviour, Trickle):
        step = max(1, behaviour.step_bytes)
        for start in range(0, len(data), step):
            await asyncio.sleep(behaviour.step_seconds if start else 0)
            writer.write(data[start : start + step])
            await writer.drain()
    else:
        writer.write(data)
        await writer.drain()


def error_reply(rid: Any, code: int, message: str) -> Struct:
    return {"id": rid, "jsonrpc": "2.0", "error": {"code": code, "message": message}}


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def method_names(body: bytes) -> list[str]:
    """The methods a request body calls, each ``system.multicall`` replaced by its entries."""
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    names: list[Any] = []
    requests = payload if isinstance(payload, list) else [payload]
    for request in (r for r in requests if isinstance(r, dict)):
        params = request.get("params") or []
        entries = params[0] if isinstance(params, list) and params else None
        if request.get("method") == "system.multicall" and isinstance(entries, list):
            names += [entry.get("methodName") for entry in entries if isinstance(entry, dict)]
        else:
            names.append(request.get("method"))
    return [name for name in names if isinstance(name, str)]


# --- the background server ---------------------------------------------------------------


class LoopThread:
    """An asyncio TCP server on 127.0.0.1, in a thread with an event loop of its own."""

    def _start(self, name: str) -> None:
        self._closed = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._on_connection, "127.0.0.1", 0))
        self.port = int(self._server.sockets[0].getsockname()[1])

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the server's loop and wait for its result (from another thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client left
        except ValueError:  # a malformed request line or Content-Length
            pass
        except asyncio.CancelledError:
            pass  # closing: asyncio would log a cancelled connection task as an error
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    async def _shutdown(self) -> None:
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def close(self) -> None:
        """Stop serving, drop every connection and join the thread; idempotent."""
        if not self._closed:
            self._closed = True
            self._run(self._shutdown())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(eq=False)
class WsClient:
    protocol: ServerProtocol
    writer: asyncio.StreamWriter

    def flush(self) -> bool:
        """Write what the protocol wants sent; False once it wants the connection closed."""
        for data in self.protocol.data_to_send():
            if not data:
                return False
            self.writer.write(data)
        return True

    def send(self, text: str) -> None:
        if self.protocol.state is State.OPEN and not self.writer.is_closing():
            self.protocol.send_text(text.encode())
            self.flush()


class TrickleProxy(LoopThread):
    """A TCP proxy on 127.0.0.1 in front of ``target_url``'s host and port.

    While ``trickle`` is True, server-to-client bytes go ``step_bytes`` every
    ``step_seconds``; otherwise everything passes through, WebSockets included.
    """

    def __init__(self, target_url: str, *, step_bytes: int = 1, step_seconds: float = 0.1) -> None:
        parts = urlsplit(target_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"{target_url!r} needs a host and a port")
        self._target = (parts.hostname, parts.port)
        self.trickle = False
        self.step_bytes = step_bytes
        self.step_seconds = step_seconds
        self._start("trickle-proxy")
        self.url = parts._replace(netloc=f"127.0.0.1:{self.port}").geturl()
        self.ws_url = "ws" + self.url.removeprefix("http")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        try:
            await asyncio.gather(
                self._pipe(reader, upstream_writer, slow=False),
                self._pipe(upstream_reader, writer, slow=True),
            )
        finally:
            upstream_writer.close()

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, slow: bool
    ) -> None:
        try:
            while data := await source.read(READ_SIZE):
                while slow and self.trickle and data:
                    step = max(1, self.step_bytes)
                    sink.write(data[:step])
                    data = data[step:]
                    await sink.drain()
                    await asyncio.sleep(self.step_seconds)
                sink.write(data)
                await sink.drain()
            sink.write_eof()
        except OSError:  # either side left
            sink.close()
