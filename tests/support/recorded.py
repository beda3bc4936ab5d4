"""An aria2 that answers from recorded real responses, for deterministic snapshots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from aria2_top.rpc.client import Aria2Client

RECORDED = Path(__file__).parent.parent / "data" / "recorded.json"


def _answer(recorded: dict[str, Any], method: str, params: list[Any]) -> Any:
    if method == "aria2.tellStatus":
        return recorded["names"][params[0]]
    if method in ("aria2.tellWaiting", "aria2.tellStopped"):
        offset, num = params[0], params[1]
        return recorded[method][offset : offset + num]
    return recorded[method]


def recorded_client() -> Aria2Client:
    """A client whose daemon replays ``tests/data/recorded.json``."""
    recorded = json.loads(RECORDED.read_text())

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["method"] == "system.multicall":
            result: Any = [
                [_answer(recorded, call["methodName"], call["params"])]
                for call in body["params"][0]
            ]
        else:
            result = _answer(recorded, body["method"], body["params"])
        return httpx.Response(200, json={"id": body["id"], "jsonrpc": "2.0", "result": result})

    return Aria2Client("http://127.0.0.1:6800/jsonrpc", transport=httpx.MockTransport(handler))
