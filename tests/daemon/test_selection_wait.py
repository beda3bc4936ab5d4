"""A file selection aria2 applies only when a download slot frees, said in the row
and the pane, and applied now on ``A`` again (issue 25), on a real swarm."""

from __future__ import annotations

import threading
from pathlib import Path

from aria2_top.model.downloads import Status
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.widgets.details.files import FilesTab
from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker
from tests.support.ui import app_for, focus, notices, screen_text, table, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (160, 45)


def queued(app: Aria2TopApp, gid: str) -> bool:
    return any(d.gid == gid and d.status is Status.WAITING for d in app.dashboard.shown)


async def test_a_selection_waiting_for_a_slot_is_said_and_applied_now(
    daemons: DaemonFactory, tracker: Tracker, files: FileServer, tmp_path: Path
) -> None:
    data = tmp_path / "seed-data"
    layout = {"album/01 intro.flac": 300_000, "album/02 song.flac": 500_000, "cover.jpg": 60_000}
    torrent = make_torrent(data, layout, name="swarm", tracker=tracker.url, piece_size=16384)
    seeder = await daemons.peer("seeder")
    # One download at a time; a torrent that only seeds gives its slot up.
    leecher = await daemons.peer(
        "leecher", {"max-concurrent-downloads": "1", "bt-detach-seed-only": "true"}
    )
    async with (
        TestClient(seeder.url, seeder.secret) as seeding,
        TestClient(leecher.url, leecher.secret) as rpc,
    ):
        await seeding.add_torrent(torrent, options={"dir": str(data), "check-integrity": "true"})
        gid = await rpc.add_torrent(torrent, options={"select-file": "3"})  # cover.jpg only
        await wait_until(
            lambda: rpc.tell_status(gid, ["seeder"]),
            lambda s: s.get("seeder") == "true",
            what="the cover to arrive (then it only seeds)",
            timeout=40,
        )
        other = await rpc.add_uri(
            [files.make_file("slot-taker.bin", 1 << 20)], options={"max-download-limit": SLOW}
        )
        await wait_for_status(rpc, other, {"active"})  # it took the one slot

        app = app_for(leecher, tmp_path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
            focus(app, gid)
            await pilot.press("enter", "2")
            files_tab = app.dashboard.details.query_one(FilesTab)
            await until(pilot, lambda: len(files_tab.entries) == 3, "three files")
            await pilot.press("down")  # swarm/ > album/
            node = files_tab.file_tree.cursor_node
            assert node is not None and node.data is not None and node.data.name == "album"
            await pilot.press("space", "A")
            said = "applies when a download slot frees: 1 running of 1"
            await until(pilot, lambda: said in notices(app), "a notice says why")
            # aria2 put it back in the queue: the cursor stayed on its line (htop's rule)
            await until(pilot, lambda: queued(app, gid), "the row in the queue")
            focus(app, gid)
            await until(pilot, lambda: said in screen_text(app), "the Files tab says why")
            assert "A again applies it now" in screen_text(app)
            status = await rpc.tell_status(gid, ["status"])
            assert status["status"] == "waiting"  # aria2 queued it, selection in effect
            row = table(app)._row(next(d.key for d in app.dashboard.shown if d.gid == gid))
            assert "no slot" in row.texts

            await pilot.press("1")
            await until(pilot, lambda: said in screen_text(app), "the Overview says it too")

            await pilot.press("2", "A")  # again: apply it now
            await wait_for_status(rpc, gid, {"active"})
            await until(pilot, lambda: said not in screen_text(app), "the words go")

            async def limit() -> str:
                return (await rpc.get_global_option())["max-concurrent-downloads"]

            await wait_until(limit, lambda value: value == "1", what="the daemon put back")
            chosen = [f["selected"] for f in await rpc.get_files(gid)]
            assert chosen == ["true", "true", "true"]
            assert (await rpc.tell_status(other, ["status"]))["status"] == "active"


async def test_a_selection_waiting_for_aria2_to_stop_the_torrent_is_applied_now(
    daemons: DaemonFactory, tracker: Tracker, tmp_path: Path
) -> None:
    # A tracker slow to hear "stopped" (as a far one is): aria2 stops the download
    # gracefully to apply the selection and waits for its answer meanwhile.
    handler = tracker._server.RequestHandlerClass
    answer = handler.do_GET  # type: ignore[attr-defined]
    released = threading.Event()

    def slow_goodbye(self: object) -> None:
        if "event=stopped" in getattr(self, "path", ""):
            released.wait(60)
            return  # no answer: aria2 gave up on it (forcePause) long before
        answer(self)

    handler.do_GET = slow_goodbye  # type: ignore[attr-defined]
    data = tmp_path / "seed-data"
    layout = {"album/01 intro.flac": 300_000, "album/02 song.flac": 500_000, "cover.jpg": 60_000}
    torrent = make_torrent(data, layout, name="swarm", tracker=tracker.url, piece_size=16384)
    seeder = await daemons.peer("seeder")
    leecher = await daemons.peer("leecher")
    try:
        async with (
            TestClient(seeder.url, seeder.secret) as seeding,
            TestClient(leecher.url, leecher.secret) as rpc,
        ):
            await seeding.add_torrent(
                torrent,
                options={"dir": str(data), "check-integrity": "true", "max-upload-limit": SLOW},
            )
            gid = await rpc.add_torrent(torrent)
            await wait_until(lambda: rpc.get_peers(gid), bool, what="a peer", timeout=40)
            app = app_for(leecher, tmp_path)
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await until(pilot, lambda: len(app.dashboard.shown) == 1, "one row")
                await pilot.press("enter", "2")
                files_tab = app.dashboard.details.query_one(FilesTab)
                await until(pilot, lambda: len(files_tab.entries) == 3, "three files")
                await pilot.press("down", "space", "A")  # album/ off: the cover only
                said = "applies once aria2 has stopped the download"
                await until(pilot, lambda: said in screen_text(app), "the Files tab says why")
                row = table(app)._row(app.dashboard.shown[0].key)
                assert "applying" in row.texts
                assert (await rpc.tell_status(gid, ["status"]))["status"] == "active"
                assert [f["selected"] for f in await rpc.get_files(gid)] == ["true"] * 3

                await pilot.press("A")  # again: now
                await wait_until(
                    lambda: rpc.get_files(gid),
                    lambda files: [f["selected"] for f in files] == ["false", "false", "true"],
                    what="the selection in effect",
                )
                await until(pilot, lambda: said not in screen_text(app), "the words go")
                # aria2's restart followed the forced stop: it runs, not paused
                assert (await rpc.tell_status(gid, ["status"]))["status"] == "active"
    finally:
        released.set()
