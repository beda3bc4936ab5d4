"""An async JSON-RPC client for aria2c, over HTTP(S) with keep-alive.

One method per aria2 RPC method the app uses, plus :meth:`Aria2Client.multicall`.
Each call is one awaitable; nothing here blocks the event loop.

aria2 quirks handled here so callers need not know them:

* the secret goes first in ``params`` as ``token:<secret>``, and inside every
  ``system.multicall`` entry, never on the multicall itself;
* option values must be strings (aria2 silently ignores other JSON types);
* a wrong secret is answered ``Unauthorized`` after a deliberate one-second delay;
* ``system.multicall`` wraps each result in a one-element list and puts an error
  object in place of a failed call's result.

The daemon is not trusted: every request has a deadline on the *whole* reply (not
per read, so a trickling daemon cannot hold a call forever), a reply larger than
``max_reply_bytes`` is refused while it streams in, JSON nested deeper than the
decoder's limit is refused, and each method's result is checked to be of the type
aria2 documents before it is returned. All of these end in an :class:`Aria2Error`.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import logging
import ssl
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Self, TypeVar

import httpx

from aria2_top.rpc.errors import (
    Aria2AuthError,
    Aria2ConnectionError,
    Aria2Error,
    Aria2ProtocolError,
    Aria2RequestTooLargeError,
    Aria2TimeoutError,
    rpc_error_from,
)
from aria2_top.rpc.wire import LONGEST_INT, decode_reply, is_loopback_url, redact_url

Struct = dict[str, Any]
"""A JSON object as aria2 returns it: string keys, mostly string values."""

OptionValue = str | int | float | bool | Sequence[str]
Options = Mapping[str, OptionValue]
PositionHow = Literal["POS_SET", "POS_CUR", "POS_END"]

DEFAULT_TIMEOUT = 10.0
"""Seconds for one whole request and its reply; a daemon with 10,000 downloads
answers in well under 1 s."""

DEFAULT_MAX_REPLY_BYTES = 128 * 2**20
"""Replies above this are refused as they stream in. A poll of 100,000 downloads is
about 17 MiB, so this leaves room for any real daemon and bounds a hostile one."""

SMALL_REQUEST = 64 * 1024
"""Requests below this are never too large for aria2 (its minimum limit is 1 MiB)."""

_NO_TOKEN_METHODS = frozenset(
    {"system.multicall", "system.listMethods", "system.listNotifications"}
)

_log = logging.getLogger(__name__)
"""Each request's methods and round trip at DEBUG (``--debug``), never its params."""


@dataclass(frozen=True, slots=True)
class RpcCall:
    """One call to put in a :meth:`Aria2Client.multicall` (params without the token)."""

    method: str
    params: Sequence[Any] = field(default_factory=tuple)


def stringify_option(value: OptionValue) -> str | list[str]:
    """aria2 only honours string option values: ``True`` -> ``"true"``, ``5`` -> ``"5"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return [str(item) for item in value]


def stringify_options(options: Options | None) -> dict[str, str | list[str]]:
    """Apply :func:`stringify_option` to every value of an options mapping."""
    return {name: stringify_option(value) for name, value in (options or {}).items()}


def add_uri_call(
    uris: Sequence[str], options: Options | None = None, position: int | None = None
) -> RpcCall:
    """The aria2.addUri call: ``uris`` are mirrors of one file."""
    params: list[Any] = [list(uris), stringify_options(options)]
    return RpcCall("aria2.addUri", params if position is None else [*params, position])


def add_torrent_call(
    torrent: bytes,
    uris: Sequence[str] = (),
    options: Options | None = None,
    position: int | None = None,
) -> RpcCall:
    """The aria2.addTorrent call with the .torrent file's bytes (sent as base64)."""
    params: list[Any] = [
        base64.b64encode(torrent).decode("ascii"),
        list(uris),
        stringify_options(options),
    ]
    return RpcCall("aria2.addTorrent", params if position is None else [*params, position])


def add_metalink_call(
    metalink: bytes, options: Options | None = None, position: int | None = None
) -> RpcCall:
    """The aria2.addMetalink call with the metalink file's bytes (sent as base64)."""
    params: list[Any] = [base64.b64encode(metalink).decode("ascii"), stringify_options(options)]
    return RpcCall("aria2.addMetalink", params if position is None else [*params, position])


T = TypeVar("T")


def expect(value: object, kind: type[T], method: str) -> T:
    """``value`` if it is a ``kind``, else :class:`Aria2ProtocolError` naming ``method``."""
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise Aria2ProtocolError(
        f"aria2 sent a malformed reply to {method}: expected {_KIND_WORDS.get(kind, kind.__name__)}"
        f", got {kind_of(value)}"
    )


_KIND_WORDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}


def kind_of(value: object) -> str:
    """What a JSON value is, in words: ``a list``, ``a string``, ``null``…"""
    return _KIND_WORDS.get(type(value), type(value).__name__)


def string_map(value: object, method: str) -> dict[str, str]:
    """An options object: string keys and values only (others are dropped)."""
    struct = expect(value, dict, method)
    return {k: v for k, v in struct.items() if isinstance(k, str) and isinstance(v, str)}


class Aria2Client:
    """Async client of one aria2c daemon's JSON-RPC interface.

    Use it as an async context manager, or call :meth:`aclose` when done. The
    underlying :class:`httpx.AsyncClient` keeps its connection alive between calls.
    ``transport`` is for tests that want an :class:`httpx.MockTransport`.
    """

    def __init__(
        self,
        url: str = "http://127.0.0.1:6800/jsonrpc",
        secret: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        ca_file: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        self.url = url
        self._token = f"token:{secret}" if secret else None
        self._ids = itertools.count(1)
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        headers = {"Content-Type": "application/json"}
        if is_loopback_url(url):
            # Measured: gzip makes loopback replies 1.7x slower to get, for nothing.
            headers["Accept-Encoding"] = "identity"
        verify: ssl.SSLContext | bool = True
        if ca_file:
            verify = ssl.create_default_context(cafile=ca_file)
        elif url.lower().startswith("http://"):
            # No TLS here, so no need to load the CA bundle (~25 ms per daemon at the
            # start): a context that trusts nothing, should TLS ever be asked of it.
            verify = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self._http = httpx.AsyncClient(
            headers=headers,
            timeout=timeout,
            verify=verify,
            transport=transport,
            limits=httpx.Limits(max_keepalive_connections=4, keepalive_expiry=30),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    def __repr__(self) -> str:
        # The secret is deliberately not part of the representation.
        return f"Aria2Client({redact_url(self.url)!r})"

    def retarget(self, url: str, secret: str | None) -> None:
        """Talk to the daemon at ``url`` from now on (a restarted private daemon)."""
        self.url = url
        self._token = f"token:{secret}" if secret else None

    # -- transport ---------------------------------------------------------------

    def _with_token(self, method: str, params: Sequence[Any]) -> list[Any]:
        if self._token is None or method in _NO_TOKEN_METHODS:
            return list(params)
        return [self._token, *params]

    async def _post(self, payload: Struct, method: str, what: str | None = None) -> Struct:
        """Send ``payload`` (a call of ``method``; ``what`` names its calls in the debug
        log) and return the decoded reply."""
        body = json.dumps(payload)
        started = time.perf_counter()
        try:
            status, raw = await self._send(body, method)
        except Aria2Error as exc:
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug("%s failed after %.1f ms: %s", what or method, _ms(started), exc)
            raise
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "%s: %.1f ms, %d bytes sent, %d received",
                what or method,
                _ms(started),
                len(body),
                len(raw),
            )
        try:
            reply = decode_reply(raw)
        except ValueError as exc:
            kind = "not JSON-RPC" if status == 200 else f"HTTP {status}, not JSON-RPC"
            raise Aria2ProtocolError(
                f"{redact_url(self.url)} answered {kind} ({_clip(str(exc))})"
            ) from None
        if not isinstance(reply, dict):
            raise Aria2ProtocolError(f"{redact_url(self.url)} sent a malformed JSON-RPC reply")
        return reply

    async def _send(self, body: str, method: str) -> tuple[int, bytes]:
        """POST ``body`` within the deadline: (HTTP status, the reply's bytes)."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._exchange(body)
        except TimeoutError as exc:
            raise Aria2TimeoutError(
                f"no complete reply from aria2 within {self.timeout:g} s "
                f"({method} at {redact_url(self.url)})"
            ) from exc
        except httpx.TimeoutException as exc:
            raise Aria2TimeoutError(
                f"aria2 did not answer in time at {redact_url(self.url)}"
            ) from exc
        except httpx.HTTPError as exc:
            # aria2 hangs up, without a word, on a request over its rpc-max-request-size:
            # the client sees a protocol error or a broken pipe, whichever comes first.
            if len(body) > SMALL_REQUEST and not isinstance(exc, httpx.ConnectError):
                limit = await self._request_limit()
                if limit is not None and len(body) > limit:
                    raise Aria2RequestTooLargeError(
                        f"the request is {len(body) / 2**20:.1f} MiB, more than the daemon's "
                        f"rpc-max-request-size ({limit / 2**20:.1f} MiB): start aria2c with a "
                        "larger --rpc-max-request-size"
                    ) from exc
            raise Aria2ConnectionError(
                f"cannot reach aria2 at {redact_url(self.url)}: {_describe(exc)}"
            ) from exc

    async def _exchange(self, body: str) -> tuple[int, bytes]:
        """POST ``body``; read the reply as it streams in, refusing it past the cap."""
        async with self._http.stream("POST", self.url, content=body) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_reply_bytes:
                raise self._too_large()
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_reply_bytes:
                    raise self._too_large()
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    def _too_large(self) -> Aria2ProtocolError:
        return Aria2ProtocolError(
            f"the reply is larger than {self.max_reply_bytes / 2**20:g} MiB and was refused "
            "(max_reply_mib in the config file raises the cap)"
        )

    async def _request_limit(self) -> int | None:
        """The daemon's rpc-max-request-size in bytes, if it tells."""
        try:
            value = (await self.get_global_option()).get("rpc-max-request-size", "")
        except Aria2Error:
            return None
        return int(value) if value.isdigit() and len(value) < LONGEST_INT else None

    async def call(self, method: str, *params: Any) -> Any:
        """Call one aria2 method and return its ``result``; raise :class:`Aria2Error`."""
        return await self._call(method, params)

    async def _call(self, method: str, params: Sequence[Any], what: str | None = None) -> Any:
        reply = await self._post(
            {
                "jsonrpc": "2.0",
                "id": next(self._ids),
                "method": method,
                "params": self._with_token(method, params),
            },
            method,
            what,
        )
        if "error" in reply:
            raise rpc_error_from(reply["error"])
        return reply.get("result")

    async def multicall(self, calls: Sequence[RpcCall]) -> list[Any]:
        """Send several calls in one request (``system.multicall``).

        Returns one item per call, in order: the call's result, or the
        :class:`Aria2RpcError` it failed with (returned, not raised, so one
        failure does not hide the other results). A failure of the request as a
        whole (connection) is raised, and so is a wrong secret: aria2 refuses the
        entries of a multicall one by one for it, never the multicall itself, and a
        wrong secret must be said as such, not as "it is gone" (the one place that
        check is made).
        """
        if not calls:
            return []
        entries = [
            {"methodName": call.method, "params": self._with_token(call.method, call.params)}
            for call in calls
        ]
        what = _multicall_words(calls) if _log.isEnabledFor(logging.DEBUG) else None
        results = await self._call("system.multicall", [entries], what)
        if not isinstance(results, list) or len(results) != len(calls):
            raise Aria2ProtocolError(
                "aria2 sent a malformed system.multicall reply: "
                f"expected a list of {len(calls)} results"
            )
        replies = [
            item[0] if isinstance(item, list) and len(item) == 1 else rpc_error_from(item)
            for item in results
        ]
        for reply in replies:
            if isinstance(reply, Aria2AuthError):
                raise reply
        return replies

    # -- adding ------------------------------------------------------------------

    # -- reading state -----------------------------------------------------------

    async def tell_status(self, gid: str, keys: Sequence[str] | None = None) -> Struct:
        """aria2.tellStatus, limited to ``keys`` when given."""
        params: list[Any] = [gid] if keys is None else [gid, list(keys)]
        return expect(await self.call("aria2.tellStatus", *params), dict, "aria2.tellStatus")

    async def tell_waiting(
        self, offset: int, num: int, keys: Sequence[str] | None = None
    ) -> list[Struct]:
        """aria2.tellWaiting: queued and paused downloads, ``num`` at most from ``offset``."""
        params: list[Any] = [offset, num] if keys is None else [offset, num, list(keys)]
        return expect(await self.call("aria2.tellWaiting", *params), list, "aria2.tellWaiting")

    async def get_version(self) -> Struct:
        """aria2.getVersion: ``{"version": ..., "enabledFeatures": [...]}``."""
        return expect(await self.call("aria2.getVersion"), dict, "aria2.getVersion")

    async def get_option(self, gid: str) -> dict[str, str]:
        """aria2.getOption: the options in force for one download."""
        return string_map(await self.call("aria2.getOption", gid), "aria2.getOption")

    async def get_global_option(self) -> dict[str, str]:
        """aria2.getGlobalOption: the daemon's global options."""
        return string_map(await self.call("aria2.getGlobalOption"), "aria2.getGlobalOption")

    # -- changing state ----------------------------------------------------------

    async def change_option(self, gid: str, options: Options) -> str:
        """aria2.changeOption. aria2 ignores unknown names and says OK: read back to check."""
        return str(await self.call("aria2.changeOption", gid, stringify_options(options)))

    async def change_global_option(self, options: Options) -> str:
        """aria2.changeGlobalOption. aria2 ignores options it cannot change and says OK."""
        return str(await self.call("aria2.changeGlobalOption", stringify_options(options)))

    async def change_position(self, gid: str, pos: int, how: PositionHow) -> int:
        """aria2.changePosition in the waiting queue. Returns the new position."""
        return expect(
            await self.call("aria2.changePosition", gid, pos, how), int, "aria2.changePosition"
        )

    async def pause(self, gid: str) -> str:
        """aria2.pause (after the daemon's own clean-up, e.g. tracker announce)."""
        return str(await self.call("aria2.pause", gid))

    async def pause_all(self) -> str:
        """aria2.pauseAll."""
        return str(await self.call("aria2.pauseAll"))

    async def unpause(self, gid: str) -> str:
        """aria2.unpause: a paused download goes back to waiting."""
        return str(await self.call("aria2.unpause", gid))

    async def unpause_all(self) -> str:
        """aria2.unpauseAll."""
        return str(await self.call("aria2.unpauseAll"))

    async def remove(self, gid: str) -> str:
        """aria2.remove: stop a download (files on disk stay)."""
        return str(await self.call("aria2.remove", gid))

    async def remove_download_result(self, gid: str) -> str:
        """aria2.removeDownloadResult: forget one stopped download."""
        return str(await self.call("aria2.removeDownloadResult", gid))

    async def purge_download_result(self) -> str:
        """aria2.purgeDownloadResult: forget every stopped download."""
        return str(await self.call("aria2.purgeDownloadResult"))

    async def save_session(self) -> str:
        """aria2.saveSession to the daemon's ``--save-session`` file."""
        return str(await self.call("aria2.saveSession"))

    async def shutdown(self) -> str:
        """aria2.shutdown: the daemon finishes its clean-up, then exits."""
        return str(await self.call("aria2.shutdown"))

    async def force_shutdown(self) -> str:
        """aria2.forceShutdown: exit without the clean-up."""
        return str(await self.call("aria2.forceShutdown"))


def _ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` time)."""
    return (time.perf_counter() - started) * 1000


def _multicall_words(calls: Sequence[RpcCall]) -> str:
    """``system.multicall(aria2.getGlobalStat, aria2.tellStatus×300)``: the methods,
    in order of first use, counted; never their params."""
    counts = Counter(call.method for call in calls)
    listed = ", ".join(m if n == 1 else f"{m}×{n}" for m, n in counts.items())
    return f"system.multicall({listed})"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(exc: httpx.HTTPError) -> str:
    """A short human text for a transport error (httpx's own is often vague)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (is aria2c running with --enable-rpc?)"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(exc).strip() or type(exc).__name__
