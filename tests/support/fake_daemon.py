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
import base64
import copy
import functools
import hashlib
import json
import random
import socket
import struct
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

from aria2_top.model.bencode import bdecode, info_hash

T = TypeVar("T")
Struct = dict[str, Any]
Params = list[Any]

DOWNLOAD_DIR = "/home/user/demo/downloads"
PIECE_LENGTH = 1048576
JSON_RPC_TYPE = "application/json-rpc"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body></body></html>\n"
RECORDED = Path(__file__).resolve().parent.parent / "data" / "recorded.json"
VERSION = {"enabledFeatures": ["Async DNS", "BitTorrent", "GZip", "HTTPS"], "version": "1.37.0"}
QUEUED = ("waiting", "paused")
STOPPED = ("complete", "error", "removed")
MOVES = {  # action: (statuses it applies to, new status; "" = active if a slot is free)
    "pause": (("active", "waiting"), "paused"),
    "unpause": (("paused",), ""),
    "remove": (("active", *QUEUED), "removed"),
}
HTTP_STATUS_OF_ERROR = {1: 400, -32600: 400, -32601: 404}
FAULTS = ("refuse", "wrong-type", "stall", "drop", "lost-reply")
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


class RpcError(Exception):
    """A JSON-RPC error; also usable as a :meth:`FakeDaemon.replace` result."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def as_struct(self) -> Struct:
        return {"code": self.code, "message": self.message}


# --- the sane aria2 model -----------------------------------------------------------------


@functools.cache
def _recorded_options() -> tuple[dict[str, str], dict[str, str]]:
    """Global and per-download options as a real aria2c 1.37 sent them."""
    data = json.loads(RECORDED.read_text(encoding="utf-8"))
    per_download = next(iter(data["per_gid"]["aria2.getOption"].values()))
    return dict(data["aria2.getGlobalOption"]), dict(per_download)


def _arg(params: Params, index: int, default: Any = None) -> Any:
    return params[index] if len(params) > index else default


def _pick(info: Struct, keys: list[str] | None) -> Struct:
    """aria2's key filtering: only the asked keys that exist, or everything."""
    return copy.deepcopy({key: info[key] for key in keys if key in info} if keys else info)


def _window(items: list[Struct], params: Params) -> list[Struct]:
    """tellWaiting/tellStopped's (offset, num): a negative offset counts back from the end."""
    offset, num = int(params[0]), int(params[1])
    if offset < 0:
        items, offset = items[::-1], -offset - 1
    return [_pick(info, _arg(params, 2)) for info in items[offset : offset + num]]


def _store(options: dict[str, str], changes: dict[str, Any]) -> str:
    options.update({key: str(value) for key, value in changes.items()})
    return "OK"


class Aria2Model:
    """aria2's downloads and options as plain data, answering RPC calls.

    :meth:`add` and :meth:`update` take :attr:`lock`; hold it to touch anything else.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        global_options, per_download = _recorded_options()
        self.global_options = global_options | {"dir": DOWNLOAD_DIR}
        self.default_options = per_download | {"dir": DOWNLOAD_DIR}
        self.downloads: dict[str, Struct] = {}
        self.options: dict[str, dict[str, str]] = {}
        self._random = random.Random(0xA2)
        self.handlers: dict[str, Callable[[Params], Any]] = {
            "aria2.tellStatus": lambda p: _pick(self.get(p[0]), _arg(p, 1)),
            "aria2.tellActive": lambda p: [_pick(d, _arg(p, 0)) for d in self._with("active")],
            "aria2.tellWaiting": lambda p: _window(self._with(*QUEUED), p),
            "aria2.tellStopped": lambda p: _window(self._with(*STOPPED), p),
            "aria2.getGlobalStat": lambda _p: self._global_stat(),
            "aria2.getGlobalOption": lambda _p: dict(self.global_options),
            "aria2.getOption": lambda p: self.default_options | self._options(p[0]),
            "aria2.changeOption": lambda p: _store(self._options(p[0]), p[1]),
            "aria2.changeGlobalOption": lambda p: _store(self.global_options, p[0]),
            "aria2.getVersion": lambda _p: copy.deepcopy(VERSION),
            "aria2.getFiles": lambda p: copy.deepcopy(self.get(p[0])["files"]),
            "aria2.getPeers": lambda p: self.get(p[0]) and [],  # [] for any known GID
            "aria2.getServers": lambda p: self._servers(p[0]),
            "aria2.getUris": lambda p: copy.deepcopy(self.get(p[0])["files"][0]["uris"]),
            "aria2.pause": lambda p: self._move(p[0], "pause"),
            "aria2.forcePause": lambda p: self._move(p[0], "pause"),
            "aria2.unpause": lambda p: self._move(p[0], "unpause"),
            "aria2.remove": lambda p: self._move(p[0], "remove"),
            "aria2.forceRemove": lambda p: self._move(p[0], "remove"),
            "aria2.pauseAll": lambda _p: self._move_all("pause"),
            "aria2.forcePauseAll": lambda _p: self._move_all("pause"),
            "aria2.unpauseAll": lambda _p: self._move_all("unpause"),
            "aria2.removeDownloadResult": lambda p: self._forget([self.get(p[0])]),
            "aria2.purgeDownloadResult": lambda _p: self._forget(self._with(*STOPPED)),
            "aria2.changePosition": lambda p: self._change_position(p[0], int(p[1]), p[2]),
            "aria2.saveSession": lambda _p: "OK",
            "aria2.addTorrent": self._add_torrent,
            "system.listMethods": lambda _p: [*self.handlers, "system.multicall"],
        }

    def call(self, method: str, params: Params) -> Any:
        handler = self.handlers.get(method)
        if handler is None:
            raise RpcError(f"No such method: {method}")
        try:
            return handler(params)
        except (LookupError, TypeError, ValueError, AttributeError) as exc:
            raise RpcError(f"{method}: bad parameters ({exc!r})") from exc

    def add(
        self,
        name: str,
        status: str = "active",
        total: int = 1000,
        completed: int = 500,
        down_speed: int = 100,
        *,
        torrent: bool = False,
        **fields: Any,
    ) -> str:
        """Add a download; return its GID. Only an active one has speed and a connection;
        ``fields`` override or extend the struct (give aria2's string values)."""
        with self.lock:
            gid = f"{self._random.getrandbits(64):016x}"
            running = status == "active"
            numbers = {
                "totalLength": total,
                "completedLength": completed,
                "uploadLength": 0,
                "downloadSpeed": down_speed if running else 0,
                "uploadSpeed": 0,
                "connections": int(running),
                "numPieces": -(-total // PIECE_LENGTH),
                "pieceLength": PIECE_LENGTH,
            }
            info: Struct = {"gid": gid, "status": status, "dir": DOWNLOAD_DIR}
            info |= {key: str(value) for key, value in numbers.items()}
            uris = [] if torrent else [{"status": "used", "uri": f"http://files.example/{name}"}]
            path, length, done = f"{DOWNLOAD_DIR}/{name}", str(total), str(completed)
            info["files"] = [
                {"index": "1", "path": path, "length": length, "completedLength": done}
                | {"selected": "true", "uris": uris}
            ]
            if torrent:
                info["infoHash"] = hashlib.sha1(name.encode()).hexdigest()
                info["numSeeders"], info["seeder"] = str(int(running)), "false"
                info["bittorrent"] = {"announceList": [["http://tracker.example/announce"]]}
                info["bittorrent"] |= {"info": {"name": name}, "mode": "single"}
            if status in STOPPED:
                info["errorCode"] = "1" if status == "error" else "0"
                info["errorMessage"] = "Resource not found" if status == "error" else ""
            self.downloads[gid] = info | fields
            return gid

    def _add_torrent(self, params: Params) -> str:
        """aria2.addTorrent: a torrent download from the metadata, paused or queued as
        its options say, at its position; refused like aria2 while a download of the
        same info hash runs or waits. Like aria2 with rpc-save-upload-metadata, the
        metadata is saved as ``<dir>/<sha1>.torrent`` when that folder exists here."""
        data = base64.b64decode(params[0])
        options = {k: str(v) for k, v in (_arg(params, 2) or {}).items()}
        meta = bdecode(data)
        info = meta[b"info"]
        hash_ = info_hash(data)
        busy = [d for d in self._with("active", *QUEUED) if d.get("infoHash") == hash_]
        if busy:
            raise RpcError(f"InfoHash {hash_} is already registered.")
        folder = options.get("dir", self.default_options["dir"])
        name = info[b"name"].decode()
        if b"files" in info:
            entries = [
                ("/".join(p.decode() for p in f[b"path"]), int(f[b"length"]))
                for f in info[b"files"]
            ]
            paths = [(f"{folder}/{name}/{path}", length) for path, length in entries]
        else:
            paths = [(f"{folder}/{name}", int(info[b"length"]))]
        total = sum(length for _, length in paths)
        status = "paused" if options.get("pause") == "true" else "active"
        gid = self.add(name, status, total=total, completed=0, down_speed=0, torrent=True)
        struct = self.downloads[gid]
        struct["infoHash"] = hash_
        struct["dir"] = folder
        mode = "multi" if b"files" in info else "single"
        struct["bittorrent"] = {"info": {"name": name}, "mode": mode, "announceList": []}
        struct["files"] = [
            {"index": str(i), "path": path, "length": str(length), "completedLength": "0"}
            | {"selected": "true", "uris": []}
            for i, (path, length) in enumerate(paths, 1)
        ]
        if options.get("check-integrity") == "true" and status == "active":
            struct["verifyIntegrityPending"] = "true"
        self.options[gid] = {k: v for k, v in options.items() if k != "pause"}
        position = _arg(params, 3)
        if isinstance(position, int) and status != "active":
            self._change_position(gid, position, "POS_SET")
        if Path(folder).is_dir():
            (Path(folder) / f"{hashlib.sha1(data).hexdigest()}.torrent").write_bytes(data)
        return gid

    def update(self, gid: str, **fields: Any) -> None:
        """Change fields of a download's struct, e.g. ``completedLength="900"``."""
        with self.lock:
            self.get(gid).update(fields)

    def get(self, gid: Any) -> Struct:
        info = self.downloads.get(gid) if isinstance(gid, str) else None
        if info is None:
            raise RpcError(f"GID {gid} is not found")
        return info

    def _with(self, *statuses: str) -> list[Struct]:
        return [info for info in self.downloads.values() if info["status"] in statuses]

    def _options(self, gid: Any) -> dict[str, str]:
        return self.options.setdefault(self.get(gid)["gid"], {})

    def _global_stat(self) -> Struct:
        active, stopped = self._with("active"), len(self._with(*STOPPED))
        stat = {key: sum(int(d[key]) for d in active) for key in ("downloadSpeed", "uploadSpeed")}
        stat |= {"numActive": len(active), "numWaiting": len(self._with(*QUEUED))}
        stat |= {"numStopped": stopped, "numStoppedTotal": stopped}
        return {key: str(value) for key, value in stat.items()}

    def _servers(self, gid: Any) -> list[Struct]:
        info = self.get(gid)
        if info["status"] != "active":
            raise RpcError(f"No active download for GID#{gid}")
        uris = [uri["uri"] for uri in info["files"][0]["uris"] if uri["status"] == "used"]
        speed = info["downloadSpeed"]
        servers = [{"currentUri": uri, "downloadSpeed": speed, "uri": uri} for uri in uris]
        return [{"index": "1", "servers": servers}]

    def _move(self, gid: Any, action: str) -> str:
        """pause, unpause or remove one download, refusing like aria2 when it can't."""
        info = self.get(gid)
        allowed, status = MOVES[action]
        if info["status"] not in allowed:
            raise RpcError(f"GID#{gid} cannot be {action}d now")
        if action == "remove" and info["status"] in QUEUED:
            del self.downloads[gid]  # aria2 keeps no result of a queued download removed
            return str(gid)
        free_slot = len(self._with("active")) < int(self.global_options["max-concurrent-downloads"])
        info["status"] = status or ("active" if free_slot else "waiting")
        if info["status"] != "active":
            info |= {"downloadSpeed": "0", "uploadSpeed": "0", "connections": "0"}
        if info["status"] == "removed":
            info |= {"errorCode": "0", "errorMessage": ""}
            self.downloads[gid] = self.downloads.pop(gid)  # tellStopped lists in stop order
        return str(gid)

    def _move_all(self, action: str) -> str:
        for info in self._with(*MOVES[action][0]):
            self._move(info["gid"], action)
        return "OK"

    def _forget(self, stopped: list[Struct]) -> str:
        for info in stopped:
            if info["status"] not in STOPPED:
                raise RpcError(f"Could not remove download result of GID#{info['gid']}")
            del self.downloads[info["gid"]]
        return "OK"

    def _change_position(self, gid: Any, pos: int, how: str) -> int:
        queue = [info["gid"] for info in self._with(*QUEUED)]
        if gid not in queue:
            raise RpcError(f"GID#{gid} not found in the waiting queue.")
        start = {"POS_SET": 0, "POS_CUR": queue.index(gid), "POS_END": len(queue) - 1}[how]
        queue.remove(gid)
        queue.insert(target := max(0, min(len(queue), start + pos)), gid)
        for queued in queue:
            self.downloads[queued] = self.downloads.pop(queued)
        return target


# --- HTTP/1.1 by hand ---------------------------------------------------------------------


@dataclass
class _HttpRequest:
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


async def _read_request(reader: asyncio.StreamReader) -> _HttpRequest | None:
    """The next request on a keep-alive connection, or None once the client left."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    pairs = (line.split(":", 1) for line in lines[1:] if ":" in line)
    request = _HttpRequest(method, target, {k.strip().lower(): v.strip() for k, v in pairs}, head)
    if not request.websocket:
        length = int(request.headers.get("content-length", "0"))
        request.body = await reader.readexactly(length)
    return request


def _head(status: int, content_type: str, length: int | None, keep_alive: bool) -> bytes:
    phrase = {known.value: known.phrase for known in HTTPStatus}.get(status, "Unknown")
    lines = [f"HTTP/1.1 {status} {phrase}", f"Content-Type: {content_type}"]
    lines.append("Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}")
    lines += [] if keep_alive else ["Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send(
    writer: asyncio.StreamWriter, status: int, content_type: str, body: bytes, keep: bool
) -> bool:
    writer.write(_head(status, content_type, len(body), keep) + body)
    await writer.drain()
    return keep


async def _hostile(
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
            writer.write(_head(200, JSON_RPC_TYPE, None, True))
            while not writer.is_closing():
                writer.write(f"{chunk:x}\r\n".encode() + b" " * chunk + b"\r\n")
                await writer.drain()
        case Raw(body, content_type, status):
            return await _send(writer, status, content_type, body, keep)
        case HttpError(status):
            return await _send(writer, status, "text/plain", f"HTTP {status}\n".encode(), False)
        case Html():
            return await _send(writer, 200, "text/html", HTML_PAGE, keep)
        case _:
            return None
    return False


async def _send_reply(writer: asyncio.StreamWriter, data: bytes, behaviour: Behaviour) -> None:
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


def _error_reply(rid: Any, code: int, message: str) -> Struct:
    return {"id": rid, "jsonrpc": "2.0", "error": {"code": code, "message": message}}


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _method_names(body: bytes) -> list[str]:
    """The methods a request body calls, each ``system.multicall`` replaced by its entries."""
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    names: list[Any] = []
    requests = payload if isinstance(payload, list) else [payload]
    for request in (r for r in requests if isinstance(r, dict)):
        entries = _arg(request.get("params") or [], 0)
        if request.get("method") == "system.multicall" and isinstance(entries, list):
            names += [entry.get("methodName") for entry in entries if isinstance(entry, dict)]
        else:
            names.append(request.get("method"))
    return [name for name in names if isinstance(name, str)]


# --- the background server ---------------------------------------------------------------


class _LoopThread:
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
class _WsClient:
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


class FakeDaemon(Aria2Model, _LoopThread):
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
        self._ws: set[_WsClient] = set()
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
            return 500, _dumps(_error_reply(None, -32700, "Parse error."))
        if isinstance(payload, list):  # a batch
            return 200, _dumps([self._answer_one(request) for request in payload])
        reply = self._answer_one(payload)
        code = reply["error"]["code"] if "error" in reply else 0
        return (HTTP_STATUS_OF_ERROR.get(code, 500) if code else 200), _dumps(reply)

    def _answer_one(self, request: Any) -> Struct:
        if not isinstance(request, dict):
            return _error_reply(None, -32600, "Invalid Request.")
        rid, method, params = request.get("id"), request.get("method"), request.get("params", [])
        if not isinstance(method, str) or not isinstance(params, list):
            return _error_reply(rid, -32600, "Invalid Request.")
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
            return self._multicall(_arg(params, 0))
        return super().call(method, params)

    def _authorize(self, params: Params) -> Params:
        """Strip aria2's ``token:`` first parameter; check it when there is a secret."""
        token = _arg(params, 0)
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
        for method in _method_names(body):
            fault = self._take_fault(method, ("stall", "drop", "lost-reply"))
            if fault is not None:
                return fault
        return None

    # serving

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await _read_request(reader)) is not None:
            if request.websocket:
                return await self._serve_websocket(request, reader, writer)
            if request.method == "POST" and request.target.split("?")[0] == "/jsonrpc":
                keep = await self._serve_rpc(request, reader, writer)
            else:
                keep = await _send(writer, 404, "text/plain", b"", request.keep_alive)
            if not keep:
                return

    async def _serve_rpc(
        self, request: _HttpRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one ``POST /jsonrpc``; return whether to keep the connection."""
        with self.lock:
            self._requests += 1
            self._methods += _method_names(request.body)
            behaviour = self._behaviour
            fault = self._http_fault(request.body)
        if fault == "lost-reply":
            with self.lock:
                self._answer(request.body)
        if fault is not None:
            behaviour = Hang() if fault == "stall" else Reset()
        keep = await _hostile(behaviour, reader, writer, request.keep_alive)
        if keep is not None:
            return keep
        with self.lock:
            status, body = self._answer(request.body)
        half = isinstance(behaviour, Half)
        keep = request.keep_alive and status == 200 and not half
        data = (
            _head(status, JSON_RPC_TYPE, len(body), keep) + body[: len(body) // 2 if half else None]
        )
        await _send_reply(writer, data, behaviour)
        return keep

    async def _serve_websocket(
        self, request: _HttpRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        client = _WsClient(ServerProtocol(max_size=None), writer)
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


class TrickleProxy(_LoopThread):
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
