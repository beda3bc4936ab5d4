"""The resync on the real daemon: changes no notification announces show at the next
full listing."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, until

SIZE = (120, 35)


async def test_changes_nobody_announces_show_at_the_resync(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    first = await client.add_uri([files.make_file("rs-first.bin", 1 << 20)], {"pause": True})
    second = await client.add_uri([files.make_file("rs-second.bin", 1 << 20)], {"pause": True})
    settings = make_settings(tmp_path, resync=1.0)
    app = app_for(daemon, label="d", settings=settings, listen=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        assert [d.gid for d in app.dashboard.shown] == [first, second]
        await client.change_position(second, 0, "POS_SET")  # another client: no news
        await until(pilot, lambda: [d.gid for d in app.dashboard.shown] == [second, first], "moved")
        url = files.make_file("rs-third.bin", 1 << 20)
        third = await client.add_uri([url], {"pause": True, "max-download-limit": SLOW})
        await until(pilot, lambda: third in {d.gid for d in app.dashboard.shown}, "added")
        # our own action shows at the next tick (it wakes the poller)
        app.dashboard.table.move_cursor(2)
        await pilot.press("p")
        await until(
            pilot,
            lambda: next(d for d in app.dashboard.shown if d.gid == third).status.value != "paused",
            "resumed",
        )
