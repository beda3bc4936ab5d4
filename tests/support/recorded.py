"""An aria2 that answers from recorded real responses, for deterministic snapshots.

tests/data/recorded.json comes from ``python -m tests.support.record``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.support.rpc import TestClient

RECORDED = Path(__file__).parent.parent / "data" / "recorded.json"


def _answer(recorded: dict[str, Any], method: str, params: list[Any]) -> Any:
    """The recorded result, or an aria2-style error object."""
    per_gid = recorded["per_gid"]
    if method in per_gid:
        result = per_gid[method].get(params[0], {"error": f"GID {params[0]} is not found"})
        if isinstance(result, dict) and set(result) == {"error"}:
            return {"code": 1, "message": result["error"]}
        if method == "aria2.tellStatus" and len(params) > 1:
            return {key: result[key] for key in params[1] if key in result}
        return result
    if method in ("aria2.tellWaiting", "aria2.tellStopped"):
        offset, num = params[0], params[1]
        keys = params[2] if len(params) > 2 else None
        return [_picked(recorded, entry, keys) for entry in recorded[method][offset : offset + num]]
    if method == "aria2.tellActive":
        keys = params[0] if params else None
        return [_picked(recorded, entry, keys) for entry in recorded[method]]
    return recorded[method]


def _picked(recorded: dict[str, Any], entry: dict[str, Any], keys: list[str] | None) -> Any:
    """A list entry with the keys asked for, as aria2 gives them: the ones the list was
    recorded with, and the rest (files...) from the download's recorded tellStatus."""
    if not keys:
        return entry
    full = {**recorded["per_gid"]["aria2.tellStatus"].get(entry.get("gid"), {}), **entry}
    return {key: full[key] for key in keys if key in full}


def recorded_client() -> TestClient:
    """A client whose daemon replays ``tests/data/recorded.json``."""
    recorded = json.loads(RECORDED.read_text())

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["method"] == "system.multicall":
            results = []
            for call in body["params"][0]:
                answer = _answer(recorded, call["methodName"], call["params"])
                is_error = isinstance(answer, dict) and set(answer) == {"code", "message"}
                results.append(answer if is_error else [answer])
            reply: dict[str, Any] = {"result": results}
        else:
            reply = {"result": _answer(recorded, body["method"], body["params"])}
        return httpx.Response(200, json={"id": body["id"], "jsonrpc": "2.0", **reply})

    return TestClient("http://127.0.0.1:6800/jsonrpc", transport=httpx.MockTransport(handler))
