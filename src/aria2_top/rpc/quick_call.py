"""One ``system.multicall`` with the standard library, blocking, within a short
deadline: what the first rows (:mod:`aria2_top.ui.first_rows`) ask aria2 before the
event loop, httpx and the app are loaded.

It asks nothing of a daemon that does not answer at once: any failure (refused,
slow, a reply too large or malformed, a call refused) gives ``None``, and the app
then starts as it always does, its own client saying what went wrong.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from aria2_top.rpc.wire import decode_reply

CHUNK = 64 * 1024


def multicall_now(
    url: str,
    secret: str | None,
    calls: Sequence[tuple[str, list[Any]]],
    *,
    deadline: float,
    max_bytes: int,
) -> list[Any] | None:
    """The results of ``calls`` ((method, params) each; the secret is put first in
    each one's params) in order, or None: nothing within ``deadline`` seconds for the
    whole exchange, more than ``max_bytes``, any call refused, or anything else amiss.
    Plain ``http://`` URLs only (no user:password part)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or parts.username or parts.password:
        return None
    token = [f"token:{secret}"] if secret else []
    entries = [{"methodName": method, "params": [*token, *params]} for method, params in calls]
    body = json.dumps(
        {"jsonrpc": "2.0", "id": "first-rows", "method": "system.multicall", "params": [entries]}
    )
    ends = time.monotonic() + deadline
    try:
        raw = _post(parts.hostname, parts.port or 80, parts.path or "/", body, ends, max_bytes)
        reply = decode_reply(raw) if raw is not None else None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    results = reply.get("result") if isinstance(reply, dict) else None
    if not isinstance(results, list) or len(results) != len(calls):
        return None
    if not all(isinstance(item, list) and len(item) == 1 for item in results):
        return None  # a call refused (a wrong secret refuses each one)
    return [item[0] for item in results]


def _post(host: str, port: int, path: str, body: str, ends: float, max_bytes: int) -> bytes | None:
    """POST ``body``; the reply's bytes, or None past ``ends`` or ``max_bytes``."""
    connection = http.client.HTTPConnection(host, port, timeout=_left(ends))
    try:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        sock = connection.sock  # the reply is read from it, even once the connection lets go
        response = connection.getresponse()
        declared = response.getheader("content-length", "")
        if response.status != 200 or (declared.isdigit() and int(declared) > max_bytes):
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            if sock is not None:
                sock.settimeout(_left(ends))
            chunk = response.read1(CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:
                return None
            chunks.append(chunk)
    finally:
        connection.close()


def _left(ends: float) -> float:
    """Seconds left before ``ends``; a timeout of its own once it passed."""
    left = ends - time.monotonic()
    if left <= 0:
        raise TimeoutError("the first rows' deadline passed")
    return left
