"""A realistic mix of downloads on a real daemon, for screenshots and manual runs.

``python -m tests.support.demo`` starts aria2c and a file server, fills the daemon
and prints the ``aria2-top`` command to watch it, until Ctrl+C.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path

from aria2_top.daemon import DaemonSpec, RunningDaemon, packaged_aria2c, start_daemon
from aria2_top.rpc.client import Aria2Client
from tests.support.files import FileServer

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


async def populate(client: Aria2Client, files: FileServer) -> None:
    """Add active, queued, paused, finished and failed downloads."""
    await client.change_global_option({"max-concurrent-downloads": len(ACTIVE)})
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


async def start_demo(root: Path, binary: Path | None = None) -> tuple[RunningDaemon, FileServer]:
    """A daemon and a file server under ``root``, filled by :func:`populate`."""
    files = FileServer(root / "served")
    spec = DaemonSpec(
        binary=binary or packaged_aria2c() or Path("aria2c"),
        state_dir=root / "state",
        download_dir=root / "downloads",
        secret="demo",
        keep_session=False,
        options={"enable-dht": "false", "bt-enable-lpd": "false"},
    )
    daemon = start_daemon(spec)
    await daemon.wait_ready()
    async with Aria2Client(daemon.url, daemon.secret) as client:
        await populate(client, files)
    return daemon, files


async def _main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        daemon, files = await start_demo(Path(tmp))
        print(f"aria2-top --rpc-url {daemon.url} --secret {daemon.secret}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            daemon.kill()
            files.close()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main())
