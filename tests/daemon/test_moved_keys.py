"""A key moved in [keymap] pauses on the real daemon, and help shows it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.help import HelpScreen
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)


async def test_a_moved_key_pauses_on_the_real_daemon_and_help_shows_it(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("km.bin", 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    settings = dataclasses.replace(
        make_settings(tmp_path), keymap=(("pause", "z"), ("nonsense", "x"))
    )
    app = app_for(daemon, label="d", settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await until(pilot, lambda: "'nonsense' names no key" in screen_text(app), "the warning")
        await pilot.press("p")  # moved away: p does nothing now
        await pilot.press("z")
        await wait_for_status(client, gid, {"paused"})
        footer = screen_text(app).splitlines()[-1]
        assert "z Pause" in footer and "p Pause" not in footer, footer
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        assert re.search(r"(^|\s)z\s+Pause", screen_text(app), re.MULTILINE), "z, by Pause"
        assert app.is_running
