"""The history of downloads on the real daemon: it survives a purge and a restart, and
a record is added again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from aria2_top.config.table_setup import TableSetup
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.history import HistoryScreen
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (140, 35)


async def test_history_survives_a_purge_and_a_restart_and_adds_again(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    good = files.make_file("kept.bin", 4096)
    done = await client.add_uri([good])
    failed = await client.add_uri([files.url("not-there.bin")])
    await wait_for_status(client, done, {"complete"})
    await wait_for_status(client, failed, {"error"})
    settings = dataclasses.replace(
        make_settings(tmp_path),
        table=TableSetup(columns=("pos", "name", "status", "added", "ended")),
    )
    endpoint = Endpoint(daemon.url, daemon.secret, "d")
    app = app_for(endpoint, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "both rows")
        header = screen_text(app).splitlines()[2]
        assert "Added" in header and "Finished" in header
        ended = {d.gid: d.ended for d in app.dashboard.shown}
        assert ended[done] is not None and ended[failed] is not None, "times in the table"

    await client.purge_download_result()  # aria2 forgets both
    app = app_for(endpoint, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        assert app.dashboard.shown == []
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        text = screen_text(app)
        assert "kept.bin" in text and "not-there.bin" in text, "still there after the purge"
        assert "Resource not found" in text or "not found" in text.casefold()
        await pilot.press(*"kept", "enter")  # search, then to the table
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await until(pilot, lambda: len(screen.shown) == 1, "one match")
        await pilot.press("a")  # add again
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "the add dialog")
        await pilot.press("ctrl+s")  # the file is there: it warns first
        await until(pilot, lambda: "again adds anyway" in screen_text(app), "the warning")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AddDialog), "added")
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the new row")
        again = app.dashboard.shown[0]
        status = await client.tell_status(again.gid, ["files"])
        assert status["files"][0]["uris"][0]["uri"] == good
