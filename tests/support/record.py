"""Record real aria2 replies from the demo daemon into tests/data/recorded.json.

    .venv/bin/python -m tests.support.record

The snapshot tests replay this file (tests/support/recorded.py), so they are
deterministic yet show what a real aria2c sends. Addresses, ports and folders
are rewritten to fixed values.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from aria2_top.model.downloads import TABLE_KEYS
from tests.support.demo import TORRENT_NAME, start_demo
from tests.support.recorded import RECORDED
from tests.support.rpc import TestClient

PER_GID = (
    "aria2.getFiles",
    "aria2.getPeers",
    "aria2.getServers",
    "aria2.getUris",
    "aria2.getOption",
)


async def record(client: TestClient) -> dict[str, Any]:
    keys = list(TABLE_KEYS)
    active = await client.tell_active(keys)
    waiting = await client.tell_waiting(0, 1000, keys)
    stopped = await client.tell_stopped(0, 1000, keys)
    gids = [d["gid"] for d in active + waiting + stopped]
    per_gid: dict[str, dict[str, Any]] = {"aria2.tellStatus": {}}
    for gid in gids:
        per_gid["aria2.tellStatus"][gid] = await client.tell_status(gid)
        for method in PER_GID:
            try:
                per_gid.setdefault(method, {})[gid] = await client.call(method, gid)
            except Exception as exc:  # noqa: BLE001 - record aria2's refusal as it is
                per_gid.setdefault(method, {})[gid] = {"error": str(exc)}
    return {
        "aria2.tellActive": active,
        "aria2.tellWaiting": waiting,
        "aria2.tellStopped": stopped,
        "aria2.getGlobalStat": await client.get_global_stat(),
        "aria2.getGlobalOption": await client.get_global_option(),
        "aria2.getVersion": await client.get_version(),
        "per_gid": per_gid,
    }


def normalise(text: str, root: str) -> str:
    text = text.replace(root, "/home/user")
    text = re.sub(r"http://127\.0\.0\.1:\d+/announce", "http://tracker.example/announce", text)
    text = re.sub(r"http://127\.0\.0\.1:\d+", "http://files.example", text)
    return re.sub(r'"port": "\d+"', '"port": "6881"', text)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = await start_demo(Path(tmp))
        try:
            async with TestClient(demo.daemon.url, demo.daemon.secret) as client:
                for _ in range(200):  # until the torrent has a peer and some progress
                    active = await client.tell_active(["gid", "bittorrent", "completedLength"])
                    torrent = next(
                        (
                            d
                            for d in active
                            if d.get("bittorrent", {}).get("info", {}).get("name") == TORRENT_NAME
                        ),
                        None,
                    )
                    if (
                        torrent
                        and int(torrent["completedLength"]) > 600_000
                        and await client.get_peers(torrent["gid"])
                    ):
                        break
                    await asyncio.sleep(0.1)
                data = await record(client)
        finally:
            demo.close()
        RECORDED.write_text(normalise(json.dumps(data, indent=1, sort_keys=True), tmp) + "\n")
    print(f"wrote {RECORDED}")


if __name__ == "__main__":
    asyncio.run(main())
