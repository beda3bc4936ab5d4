"""The event log (e) on the real daemon: starts and ends as they happen."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.events import EventsScreen
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)


async def test_e_shows_starts_and_ends_on_the_real_daemon(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("ev.bin", 256 << 10)
    gid = await client.add_uri([url], {"max-download-limit": SLOW, "pause": True})
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await client.unpause(gid)
        await until(pilot, lambda: len(app.dashboard.events) >= 2, "connected, started")
        await client.change_option(gid, {"max-download-limit": "0"})
        await wait_for_status(client, gid, {"complete"})
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), "the event log")
        await until(pilot, lambda: "finished" in screen_text(app), "finished, on screen")
        text = screen_text(app)
        assert "started" in text and "ev.bin" in text and "connected" in text
        assert text.index("finished") < text.index("started"), "newest first"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, EventsScreen), "closed")
