"""The floor of a Textual app's start: no module of aria2-top, one Static, one
JSON-RPC call (the running downloads and the first 50 waiting ones) with httpx, their
names shown. ``benchmarks/start.py --floor`` types it as it types ``aria2-top``:

    .venv/bin/python benchmarks/textual_floor.py --rpc-url URL --secret SECRET
"""

from __future__ import annotations

import argparse

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Static

KEYS = ["gid", "status", "files"]


class Floor(App[None]):
    def __init__(self, url: str, secret: str) -> None:
        super().__init__()
        self.url, self.secret = url, secret

    def compose(self) -> ComposeResult:
        yield Static("", id="rows")

    async def on_mount(self) -> None:
        token = f"token:{self.secret}"
        calls = [
            {"methodName": "aria2.tellActive", "params": [token, KEYS]},
            {"methodName": "aria2.tellWaiting", "params": [token, 0, 50, KEYS]},
        ]
        body = {"jsonrpc": "2.0", "id": 1, "method": "system.multicall", "params": [calls]}
        async with httpx.AsyncClient() as client:
            reply = (await client.post(self.url, json=body)).json()["result"]
        names = [
            f"{download['gid']} {download['files'][0]['path'].rsplit('/', 1)[-1]}"
            for (downloads,) in reply
            for download in downloads
        ]
        self.query_one("#rows", Static).update("\n".join(names[:45]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpc-url", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    Floor(args.rpc_url, args.secret).run()


if __name__ == "__main__":
    main()
