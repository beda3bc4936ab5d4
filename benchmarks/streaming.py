"""Streaming a torrent from a loopback swarm: how far its file plays from the start.

A seeding aria2c (upload limited to 1 MiB/s) and a leeching one share a 64 MiB,
one-file torrent (256 KiB pieces) through a tracker on 127.0.0.1. The leecher is
shown in aria2-top (headless, 160x50) and ``S`` is pressed on the row as soon as it
shows; every second this prints how much is here and how much plays from the file's
start (no gap), and at the end the first gap. ``--static`` instead gives the torrent
a fixed ``head=8M,tail=8M`` (what ``S`` did before 0.3) and no app: the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import torf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.daemons import start_scratch_daemon
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker
from tests.support.ui import make_settings, notices

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import free_port
from aria2_top.model.pieces import piece_bits, valid_bitfield
from aria2_top.ui.app import Aria2TopApp

MiB = 2**20


def make_movie(folder: Path, tracker: Tracker, size: int) -> bytes:
    (folder / "movie").mkdir(parents=True)
    (folder / "movie" / "movie.mkv").write_bytes(os.urandom(size))
    torrent = torf.Torrent(path=folder / "movie", private=True, trackers=[tracker.url])
    torrent.piece_size = 256 * 1024
    torrent.generate()
    return bytes(torrent.dump())


async def timeline(client: TestClient, gid: str, seconds: float) -> None:
    begun = time.monotonic()
    first_gap = 0.0
    while (elapsed := time.monotonic() - begun) < seconds:
        status = await client.tell_status(gid, ["completedLength", "bitfield", "pieceLength"])
        bits = piece_bits(valid_bitfield(status.get("bitfield")))
        gap = next((i for i, bit in enumerate(bits) if not bit), len(bits))
        first_gap = gap * int(status["pieceLength"]) / MiB
        done = int(status["completedLength"]) / MiB
        print(f"{elapsed:5.1f} s  here {done:5.1f} MiB  plays from the start {first_gap:5.1f} MiB")
        await asyncio.sleep(1)
    print(f"after {seconds:.0f} s: the first {first_gap:.1f} MiB hold no gap")


async def measure(seconds: float, size: int, static: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tracker = Tracker()
        torrent = make_movie(root / "seed", tracker, size)
        bt = {"bt-tracker-interval": "1", "seed-ratio": "0.0"}
        seeder = await start_scratch_daemon(root / "s", {**bt, "listen-port": str(free_port())})
        leecher = await start_scratch_daemon(root / "l", {**bt, "listen-port": str(free_port())})
        try:
            async with (
                TestClient(seeder.url, seeder.secret) as seeding,
                TestClient(leecher.url, leecher.secret) as client,
            ):
                await seeding.add_torrent(
                    torrent,
                    options={
                        "dir": str(root / "seed"),
                        "check-integrity": "true",
                        "max-upload-limit": "1M",
                    },
                )
                if static:
                    gid = await client.add_torrent(
                        torrent, options={"bt-prioritize-piece": "head=8M,tail=8M"}
                    )
                    await timeline(client, gid, seconds)
                    return
                gid = await client.add_torrent(torrent)
                app = Aria2TopApp(
                    Endpoint(leecher.url, leecher.secret, "bench"), make_settings(root, 1.0)
                )
                async with app.run_test(size=(160, 50), notifications=True) as pilot:
                    while not app.dashboard.shown:
                        await pilot.pause(0.05)
                    await pilot.press("S")
                    while "streaming" not in notices(app):
                        await pilot.pause(0.05)
                    await timeline(client, gid, seconds)
                    moves = [
                        e.text for e in app.dashboard.events.newest_first() if e.kind == "stream"
                    ]
                    moves.reverse()
                    print(f"the head window moved {len(moves)} times:")
                    for text in moves:
                        print(f"  {text}")
        finally:
            seeder.kill()
            leecher.kill()
            tracker.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--mib", type=int, default=64, help="the movie's size")
    parser.add_argument("--static", action="store_true", help="head=8M,tail=8M, no app")
    args = parser.parse_args()
    asyncio.run(measure(args.seconds, args.mib * MiB, args.static))


if __name__ == "__main__":
    main()
