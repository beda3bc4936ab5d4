"""A re-added torrent keeps its story, on a real loopback swarm: V on a seeding torrent
that has uploaded gives no second "finished", one history record that follows it to
its new GID, and the upload total carried over in the table, the Overview and the
history; a paused seeding torrent resumed (aria2 keeps its GID, and says 0 uploaded
while it is paused) neither finishes again nor loses its upload count."""

from __future__ import annotations

import dataclasses
import sys
from functools import partial
from pathlib import Path

from aria2_top.config.hooks_table import HookSettings
from aria2_top.model import format as fmt
from aria2_top.model.downloads import Download, Status
from aria2_top.model.events import EventKind
from aria2_top.ui.app import Aria2TopApp
from tests.conftest import SLOW, Swarm
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, notices, screen_text, until
from tests.support.waiting import wait_until

SIZE = (120, 35)


def _row(app: Aria2TopApp) -> Download:
    (row,) = app.dashboard.shown
    return row


def _shows_upload(app: Aria2TopApp, total: int) -> bool:
    return _row(app).uploaded == total


def _line(app: Aria2TopApp, label: str) -> str:
    """The line of the screen that holds ``label`` (empty: none)."""
    return next((line for line in screen_text(app).splitlines() if label in line), "")


def _finished_events(app: Aria2TopApp) -> list[str]:
    return [e.text for e in app.dashboard.events.newest_first() if e.kind is EventKind.FINISHED]


async def test_verify_and_resume_keep_a_seeding_torrents_story(
    swarm: Swarm, tmp_path: Path
) -> None:
    async with (
        TestClient(swarm.seeder.url, swarm.seeder.secret) as seeder,
        TestClient(swarm.leecher.url, swarm.leecher.secret) as leecher,
    ):
        (seeding,) = await seeder.tell_active(["gid"])
        old_gid = seeding["gid"]

        async def uploaded() -> int:
            return int((await seeder.tell_status(old_gid, ["uploadLength"]))["uploadLength"])

        taking = await leecher.add_torrent(swarm.torrent, options={"max-download-limit": SLOW})
        await wait_until(uploaded, lambda n: n >= 2 * 16384, what="an upload", timeout=40)
        await leecher.force_pause(taking)  # the upload stops: its total stays put
        ran = tmp_path / "ran.txt"
        write = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '\\n')"
        hooks = HookSettings(
            (
                ("on_pause", (sys.executable, "-c", write, str(ran), "pause")),
                ("on_bt_complete", (sys.executable, "-c", write, str(ran), "bt-complete")),
            ),
            timeout=30,
        )
        settings = dataclasses.replace(make_settings(tmp_path), hooks=hooks)
        app = app_for(swarm.seeder, settings=settings, label="seeder")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the seeding row")
            settled = 0
            while settled != await uploaded():  # the total aria2 settled on, as shown
                settled = await uploaded()
                await until(pilot, partial(_shows_upload, app, settled), "the upload shown")
            before = settled
            assert before > 0 and _row(app).status is Status.SEEDING

            # Pause and resume it: aria2 keeps its GID, says 0 uploaded while paused.
            await pilot.press("p")
            await until(pilot, lambda: _row(app).status is Status.PAUSED, "paused")
            assert _row(app).uploaded == before, "the upload aria2 hides while paused"
            await pilot.press("p")
            await until(pilot, lambda: _row(app).status is Status.SEEDING, "seeding again")
            assert _row(app).uploaded == before

            await pilot.press("V")
            await until(
                pilot,
                lambda: "swarm: verified, all 53 pieces good" in notices(app),
                "what the check found",
                timeout=30,
            )
            await until(
                pilot,
                lambda: _row(app).gid != old_gid and _row(app).status is Status.SEEDING,
                "the new GID seeding",
            )
            new = _row(app)
            assert new.uploaded == before, "aria2 restarts at 0: the total carries over"
            assert new.ratio == before / 860_000
            await pilot.press("enter", "1")
            await until(
                pilot, lambda: fmt.size(before) in _line(app, "Uploaded"), "carried, in Overview"
            )
            assert f" {fmt.ratio(new.ratio)}" in _line(app, "Ratio")
            await pilot.press("escape")

            records = [r for r in app.download_history.records() if r.name == "swarm"]
            assert len(records) == 1, "one record, that followed it"
            (record,) = records
            assert (record.gid, record.status) == (new.gid, "seeding")
            assert old_gid in record.note and record.uploaded == before

            n = app.dashboard.snapshot
            await until(pilot, lambda: app.dashboard.snapshot is not n, "one more poll")

            assert _finished_events(app) == [], "it finished once, before the app was here"

            # The hooks run (p paused it), but its bt-complete hook not again for V.
            def hooked() -> list[str]:
                return [e.text for e in app.dashboard.events.newest_first() if e.kind == "hook"]

            await until(pilot, lambda: bool(hooked()), "the pause hook ran")
            assert ran.read_text() == "pause\n" and len(hooked()) == 1, hooked()
            assert "finished" not in notices(app)
