"""A download that finishes on the real daemon is in History (7) at once, and found by
its search among many older records, read from the file a page at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Download, Status
from aria2_top.storage import history_search
from aria2_top.storage.history_file import DownloadHistory, history_path
from aria2_top.ui.screens.history import PAGE, HistoryScreen
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (140, 35)


async def test_a_finished_download_is_in_history_and_found_by_search(
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = make_settings(tmp_path)
    older = DownloadHistory(history_path(settings.data_dir))
    for number in range(3 * PAGE):  # older records, several pages of them
        name = f"old-{number}.iso"
        older.stamp(
            Download(
                gid=f"{number:016x}",
                name=name,
                status=Status.COMPLETE,
                aria2_status="complete",
                daemon="another",
                source=f"https://example.org/{name}",
            )
        )
    older.close()
    app = app_for(daemon, settings=settings, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        gid = await client.add_uri([files.make_file("quokka-report.pdf", 8192)])
        await wait_for_status(client, gid, {"complete"})
        await until(
            pilot,
            lambda: any(d.gid == gid and d.status is Status.COMPLETE for d in app.dashboard.shown),
            "the finished row",
        )
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.total == 3 * PAGE + 1 and len(screen.shown) == PAGE
        assert screen.shown[0].gid == gid, "the newest first"
        await pilot.press(*"quokka")
        await until(pilot, lambda: screen.needle == "quokka", "the search typed")
        assert [r.gid for r in screen.shown] == [gid] and screen.found == 1
        assert f"1 of {3 * PAGE + 1:,}" in screen_text(app)
        assert "quokka-report.pdf" in screen_text(app) and "complete" in screen_text(app)
        for _ in "quokka":
            await pilot.press("backspace")
        await pilot.press("o")  # one letter, in every record: counted in a thread
        await until(pilot, lambda: screen.needle == "o" and not screen.counting, "counted")
        assert screen.found == 3 * PAGE + 1 and screen.shown[0].gid == gid
        assert f"{3 * PAGE + 1:,} of {3 * PAGE + 1:,}" in screen_text(app)
        monkeypatch.setattr(history_search, "NEAR_ROWS", PAGE)  # as if there were more
        await pilot.press("backspace", "9", ".")  # two characters, on few records: aside
        await until(
            pilot,
            lambda: screen.needle == "9." and not screen.searching and not screen.counting,
            "the page read and counted in a thread",
        )
        assert [r.name for r in screen.shown] == [f"old-{n}.iso" for n in range(299, 0, -10)]
        await until(pilot, lambda: f"30 of {3 * PAGE + 1:,}" in screen_text(app), "the count")
        assert "old-299.iso" in screen_text(app)
