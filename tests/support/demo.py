"""A realistic mix of downloads on a real daemon, for screenshots and manual runs.

``python -m tests.support.demo`` starts aria2c and a file server, fills the daemon
and prints the ``aria2-top`` command to watch it, until Ctrl+C.
``python -m tests.support.demo --fleet`` does the same with three daemons (nas,
seedbox, laptop: each its own secret) and a config file naming them.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from pathlib import Path

from aria2_top.daemon.process import RunningDaemon, free_port
from tests.support.daemons import start_scratch_daemon
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker

ACTIVE = [
    ("ubuntu-24.04-desktop-amd64.iso", "300K"),
    ("debian-12.8.0-amd64-netinst.iso", "120K"),
    ("big_buck_bunny_1080p.mov", "60K"),
]
QUEUED = [
    "archlinux-2026.11.01-x86_64.iso",
    "fedora-workstation-41.iso",
    "[bold red]not markup[/].bin",
]
PAUSED = ["LibreOffice_25.8_Linux_x86-64_deb.tar.gz"]
DONE = ["README.txt", "release-notes.pdf"]


async def populate(client: TestClient, files: FileServer) -> None:
    """Add active, queued, paused, finished and failed downloads."""
    await client.change_global_option({"max-concurrent-downloads": len(ACTIVE) + 1})
    for name in DONE:
        gid = await client.add_uri([files.make_file(name, 64 * 1024)])
        while (await client.tell_status(gid, ["status"]))["status"] != "complete":
            await asyncio.sleep(0.05)
    await client.add_uri([files.url("missing/nightly-build.tar.xz")])
    for name, limit in ACTIVE:
        await client.add_uri([files.make_file(name, 24 << 20)], {"max-download-limit": limit})
    for name in QUEUED:
        await client.add_uri([files.make_file(name.replace("/", "_"), 32 << 20)])
    for name in PAUSED:
        await client.add_uri([files.make_file(name, 16 << 20)], {"pause": True})


TORRENT_NAME = "Symphony No. 9"
ALBUM = {
    "Disc 1/01 - Overture.flac": 900_000,
    "Disc 1/02 - Theme.flac": 1_200_000,
    "Disc 1/03 - Reprise.flac": 700_000,
    "Disc 2/01 - Finale.flac": 1_100_000,
    "Disc 2/bonus/demo.flac": 400_000,
    "cover.jpg": 120_000,
    "notes.txt": 2_000,
}


class Demo:
    """The demo daemon, its file server, and a seeding daemon with its tracker."""

    def __init__(
        self, daemon: RunningDaemon, files: FileServer, seeder: RunningDaemon, tracker: Tracker
    ) -> None:
        self.daemon, self.files, self.seeder, self.tracker = daemon, files, seeder, tracker

    def close(self) -> None:
        for process in (self.daemon, self.seeder):
            process.kill()
        self.files.close()
        self.tracker.close()


async def _start(root: Path, name: str) -> RunningDaemon:
    options = {"listen-port": str(free_port()), "bt-tracker-interval": "1"}
    return await start_scratch_daemon(root / name, options, secret="demo")


async def start_demo(root: Path) -> Demo:
    """A daemon full of downloads (one a torrent with a real peer) under ``root``."""
    files = FileServer(root / "served")
    tracker = Tracker()
    torrent = make_torrent(root / "album", ALBUM, name=TORRENT_NAME, tracker=tracker.url)
    seeder = await _start(root, "seeder")
    async with TestClient(seeder.url, seeder.secret) as client:
        await client.add_torrent(
            torrent,
            options={"dir": str(root / "album"), "check-integrity": "true", "seed-ratio": "0.0"},
        )
    daemon = await _start(root, "demo")
    async with TestClient(daemon.url, daemon.secret) as client:
        await populate(client, files)
        await client.add_torrent(torrent, options={"max-download-limit": "40K"}, position=0)
    return Demo(daemon, files, seeder, tracker)


FLEET: dict[str, tuple[list[tuple[str, str]], list[str], list[str]]] = {
    "nas": ([("photos-2026.tar", "200K"), ("backup-weekly.img", "90K")], ["movies.mkv"], []),
    "seedbox": (
        [("debian-13.2.0-amd64-DVD-1.iso", "350K")],
        ["linuxmint-22.2-cinnamon.iso", "opensuse-tumbleweed.iso"],
        ["[bold]not markup[/] either.bin"],
    ),
    "laptop": ([("podcast-episode-412.mp3", "40K")], [], ["slides.pdf"]),
}
"""Per daemon: (active downloads and their limits, queued names, finished names)."""


class Fleet:
    """Three daemons with downloads of their own, and a config file naming them."""

    def __init__(self, daemons: dict[str, RunningDaemon], files: FileServer, config: Path) -> None:
        self.daemons, self.files, self.config = daemons, files, config

    def close(self) -> None:
        for daemon in self.daemons.values():
            daemon.kill()
        self.files.close()


async def start_fleet(root: Path) -> Fleet:
    """:data:`FLEET` on three real aria2c under ``root``; ``root/config.toml`` names them."""
    files = FileServer(root / "served")
    daemons: dict[str, RunningDaemon] = {}
    config = ""
    for name, (active, queued, done) in FLEET.items():
        daemon = await start_scratch_daemon(root / name, secret=f"{name}-secret")
        daemons[name] = daemon
        config += f'[[daemons]]\nname = "{name}"\nrpc_url = "{daemon.url}"\n'
        config += f'secret = "{daemon.secret}"\n\n'
        async with TestClient(daemon.url, daemon.secret) as client:
            await client.change_global_option({"max-concurrent-downloads": len(active)})
            for file in done:
                served = files.make_file(f"{name}-{file}".replace("/", "_"), 32 * 1024)
                gid = await client.add_uri([served])
                while (await client.tell_status(gid, ["status"]))["status"] != "complete":
                    await asyncio.sleep(0.05)
            for file, limit in active:
                url = files.make_file(f"{name}-{file}", 24 << 20)
                await client.add_uri([url], {"max-download-limit": limit})
            for file in queued:
                await client.add_uri([files.make_file(f"{name}-{file}", 32 << 20)])
    path = root / "config.toml"
    path.write_text(config)
    path.chmod(0o600)
    return Fleet(daemons, files, path)


async def _main(fleet: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if fleet:
            several = await start_fleet(Path(tmp))
            print(f"aria2-top --config {several.config}", flush=True)
            try:
                await asyncio.Event().wait()
            finally:
                several.close()
        demo = await start_demo(Path(tmp))
        print(f"aria2-top --rpc-url {demo.daemon.url} --secret {demo.daemon.secret}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            demo.close()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main("--fleet" in sys.argv))
