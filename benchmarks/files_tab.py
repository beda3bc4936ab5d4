"""The Files tab with a 10,000-file torrent, against a real aria2c.

    .venv/bin/python benchmarks/files_tab.py [--files 10000]

Prints the time from pressing 2 (the details pane open on the Overview) to the
full tree in the Files tab; the time a Space on a folder of 100 files takes to
show the staged selection; the time ``A`` takes until aria2's getFiles shows it;
and the median cost of the Files tab's per-tick refresh (getFiles reply to
relabelled tree) while it is open.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.daemons import start_scratch_daemon  # noqa: E402
from tests.support.rpc import TestClient  # noqa: E402
from tests.support.tracker import bencode  # noqa: E402
from tests.support.ui import make_settings  # noqa: E402
from textual import events  # noqa: E402

from aria2_top.daemon.endpoint import Endpoint  # noqa: E402
from aria2_top.model.downloads import DownloadKey  # noqa: E402
from aria2_top.model.file_tree import FileEntry  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402
from aria2_top.ui.widgets.details.files import FilesTab  # noqa: E402


def make_big_torrent(count: int, piece_length: int = 16384) -> bytes:
    """A .torrent of ``count`` 100-byte files in folders of 100, built in memory
    (aria2 needs only the metainfo to list the files; torf takes ~50 s for this)."""
    files, data = [], bytearray()
    for index in range(count):
        content = index.to_bytes(4, "big") * 25
        files.append(
            {"length": len(content), "path": [f"dir{index // 100:03d}", f"file{index:05d}.bin"]}
        )
        data += content
    pieces = b"".join(
        hashlib.sha1(data[i : i + piece_length]).digest() for i in range(0, len(data), piece_length)
    )
    info = {
        "files": files,
        "name": "many",
        "piece length": piece_length,
        "pieces": pieces,
        "private": 1,
    }
    return bencode({"info": info})


async def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        torrent = make_big_torrent(count)
        daemon = await start_scratch_daemon(root, {"rpc-max-request-size": "64M"})
        try:
            async with TestClient(daemon.url, daemon.secret) as client:
                gid = await client.add_torrent(torrent, options={"pause": True})
            app = Aria2TopApp(
                Endpoint(daemon.url, daemon.secret, "bench"), make_settings(root, 1.0)
            )
            show_times: list[float] = []
            original_show = FilesTab.show

            def timed_show(self: FilesTab, key: DownloadKey, entries: list[FileEntry]) -> None:
                begun = time.perf_counter()
                original_show(self, key, entries)
                show_times.append(time.perf_counter() - begun)

            FilesTab.show = timed_show  # type: ignore[method-assign]
            async with app.run_test(size=(160, 50)) as pilot:
                while not app.dashboard.shown:
                    await pilot.pause(0.05)
                files_tab = app.dashboard.details.query_one(FilesTab)
                await pilot.press("enter")  # the details pane, on its Overview
                while app.dashboard.details.shown is None:
                    await pilot.pause(0.01)
                show_times.clear()
                key = events.Key("2", "2")  # sent as the terminal does: Pilot.press
                key.set_sender(app)  # would wait for the app to be idle after it
                begun = time.perf_counter()
                assert app._driver is not None
                app._driver.send_message(key)
                while len(files_tab.entries) < count:
                    await asyncio.sleep(0.001)
                opened = time.perf_counter() - begun
                print(
                    f"2 -> {count}-file tree shown: {opened * 1000:.0f} ms"
                    f" (of which the tree: {show_times[0] * 1000:.0f} ms)"
                )

                await pilot.press("down")  # many/ -> dir000/
                begun = time.perf_counter()
                await pilot.press("space")
                while files_tab.staged is None:
                    await pilot.pause(0.01)
                toggled = time.perf_counter() - begun
                print(
                    f"Space on a folder of 100 files -> staged, relabelled: {toggled * 1000:.0f} ms"
                )

                begun = time.perf_counter()
                await pilot.press("A")
                async with TestClient(daemon.url, daemon.secret) as client:
                    while (await client.get_files(gid))[0]["selected"] != "false":
                        await asyncio.sleep(0.01)
                applied = time.perf_counter() - begun
                print(f"A -> aria2's getFiles shows the selection: {applied * 1000:.0f} ms")

                show_times.clear()
                await asyncio.sleep(5)
                if not show_times:
                    print(
                        "per-tick Files refresh: replies unchanged, no tree work (0 calls in 5 s)"
                    )
                else:
                    median = statistics.median(show_times) * 1000
                    print(
                        f"per-tick Files refresh (reply -> relabelled tree): {median:.0f} ms median"
                    )
        finally:
            daemon.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    asyncio.run(measure(parser.parse_args().files))


if __name__ == "__main__":
    main()
