"""aria2's WebSocket notifications as an async iterator of typed events.

aria2 pushes ``aria2.onDownloadStart`` and friends to every WebSocket client on
``ws(s)://host:port/jsonrpc``. Things to know, all handled here:

* nothing that happened while disconnected is ever sent again: a consumer must
  re-poll everything whenever it sees :attr:`ConnectionState.CONNECTED`;
* aria2 answers each client ping with a pong *and* a stray
  ``{"id": null, "error": {"code": -32600}}`` text message, which is ignored;
* a notification is ~100 bytes: a message over 64 KiB ends the connection
  (websockets' ``max_size``; the next one is tried after the longest backoff), and
  at most ``max_rate`` messages and ``max_bytes`` bytes are read per second, so a
  flooding daemon cannot keep a core busy (each notification only asks for a poll,
  and polls are coalesced anyway; a backlog just waits in the socket). A
  :class:`Flood` event says when a daemon floods, once per flood.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException


class NotificationKind(StrEnum):
    """What happened to a download."""

    START = "start"
    PAUSE = "pause"
    STOP = "stop"
    COMPLETE = "complete"
    ERROR = "error"
    BT_COMPLETE = "bt-complete"


_KIND_OF_METHOD = {
    "aria2.onDownloadStart": NotificationKind.START,
    "aria2.onDownloadPause": NotificationKind.PAUSE,
    "aria2.onDownloadStop": NotificationKind.STOP,
    "aria2.onDownloadComplete": NotificationKind.COMPLETE,
    "aria2.onDownloadError": NotificationKind.ERROR,
    "aria2.onBtDownloadComplete": NotificationKind.BT_COMPLETE,
}


@dataclass(frozen=True, slots=True)
class Notification:
    """aria2 says download ``gid`` went through ``kind``."""

    kind: NotificationKind
    gid: str


class ConnectionState(StrEnum):
    """Where the listener's WebSocket stands."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True)
class ListenerStatus:
    """A change of the listener's connection; ``retry_in`` is set while disconnected."""

    state: ConnectionState
    retry_in: float | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Flood:
    """The daemon sends more than the listener reads: what it sent in the last second
    (or the size of a message too large to be a notification)."""

    messages: int
    size: int

    def words(self) -> str:
        if self.messages <= 1:
            return f"the daemon sent a notification of {self.size:,} bytes: notifications wait"
        return (
            f"the daemon floods its notifications ({self.messages:,} messages, "
            f"{self.size // 1024:,} KiB in a second): they are read slower"
        )


ListenerEvent = Notification | ListenerStatus | Flood

MAX_MESSAGE_SIZE = 64 * 1024
"""Bytes of one message at most (aria2's are about 100)."""
MAX_RATE = 1000
"""Messages read per second at most."""
MAX_BYTES = 128 * 1024
"""Bytes read per second at most."""
MAX_QUEUE = 8
"""Messages websockets keeps waiting at most (then the socket waits)."""
TOO_BIG = 1009
"""The close code of a message over ``max_size``."""


def websocket_url(rpc_url: str) -> str:
    """The WebSocket address of the daemon whose JSON-RPC address is ``rpc_url``."""
    parts = urlsplit(rpc_url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return parts._replace(scheme=scheme).geturl()


def parse_notification(message: str | bytes) -> Notification | None:
    """The notification in one WebSocket text message, or None for anything else."""
    try:
        data = json.loads(message)
    except (ValueError, RecursionError):  # not JSON, or nested past the decoder's limit
        return None
    if not isinstance(data, dict):
        return None
    method = data.get("method")
    kind = _KIND_OF_METHOD.get(method) if isinstance(method, str) else None
    params = data.get("params")
    if kind is None or not isinstance(params, list) or not params:
        return None
    event = params[0]
    gid = event.get("gid") if isinstance(event, dict) else None
    return Notification(kind, gid) if isinstance(gid, str) else None


class NotificationListener:
    """Listens to one daemon's notifications for as long as it is iterated.

    ``async for event in listener.events()`` yields :class:`Notification` and
    :class:`ListenerStatus` items. It never ends on its own: a lost connection is
    retried with exponential backoff from ``min_backoff`` up to ``max_backoff``
    seconds, reported as DISCONNECTED with the delay, then CONNECTING, CONNECTED.
    """

    def __init__(
        self,
        rpc_url: str,
        *,
        ca_file: str | None = None,
        min_backoff: float = 0.5,
        max_backoff: float = 10.0,
        open_timeout: float = 5.0,
        ping_interval: float = 20.0,
        max_rate: int = MAX_RATE,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.url = websocket_url(rpc_url)
        self._ssl: ssl.SSLContext | None = None
        if self.url.startswith("wss:"):
            self._ssl = ssl.create_default_context(cafile=ca_file)
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.open_timeout = open_timeout
        self.ping_interval = ping_interval
        self.max_rate = max_rate
        self.max_bytes = max_bytes
        self.state = ConnectionState.DISCONNECTED

    def _status(
        self, state: ConnectionState, retry_in: float | None = None, error: str | None = None
    ) -> ListenerStatus:
        self.state = state
        return ListenerStatus(state, retry_in, error)

    async def events(self) -> AsyncGenerator[ListenerEvent, None]:
        """Yield notifications and connection changes, forever."""
        backoff = self.min_backoff
        while True:
            yield self._status(ConnectionState.CONNECTING)
            error: str
            try:
                async with connect(
                    self.url,
                    ssl=self._ssl,
                    max_size=MAX_MESSAGE_SIZE,
                    max_queue=MAX_QUEUE,
                    open_timeout=self.open_timeout,
                    ping_interval=self.ping_interval,
                    ping_timeout=max(self.ping_interval, 5.0),
                    compression=None,
                ) as websocket:
                    backoff = self.min_backoff
                    yield self._status(ConnectionState.CONNECTED)
                    async for event in self._read(websocket):
                        yield event
                error = "the daemon closed the connection"
            except ConnectionClosed as exc:
                code = exc.sent.code if exc.sent else exc.rcvd.code if exc.rcvd else None
                if code == TOO_BIG:
                    yield Flood(1, MAX_MESSAGE_SIZE)
                    backoff = self.max_backoff  # a daemon that does that does it again
                    error = f"a message over {MAX_MESSAGE_SIZE // 1024} KiB: not a notification"
                else:
                    error = f"connection lost ({code or 'no close frame'})"
            except (OSError, WebSocketException, TimeoutError) as exc:  # any failure of the link
                error = str(exc) or type(exc).__name__
            yield self._status(ConnectionState.DISCONNECTED, backoff, error)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    async def _read(self, websocket: ClientConnection) -> AsyncIterator[ListenerEvent]:
        """The notifications of one connection, at most ``max_rate`` messages and
        ``max_bytes`` bytes a second: past either, the rest of the second waits in
        the socket (and a :class:`Flood` says so, once per flood)."""
        loop = asyncio.get_running_loop()
        window, count, size, flooding = loop.time(), 0, 0, False
        async for message in websocket:
            notification = parse_notification(message)
            if notification is not None:
                yield notification
            count += 1
            size += len(message)
            if count < self.max_rate and size < self.max_bytes:
                if loop.time() - window >= 1.0:
                    window, count, size, flooding = loop.time(), 0, 0, False
                continue
            if not flooding:
                yield Flood(count, size)
            flooding = True
            await asyncio.sleep(max(0.0, window + 1.0 - loop.time()))
            window, count, size = loop.time(), 0, 0
