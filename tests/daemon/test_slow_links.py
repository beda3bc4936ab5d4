"""A trickling link to a real daemon: the app keeps answering keys and says the data is old."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from tests.support.fake_daemon import (
    TrickleProxy,
)
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, screen_text, until

SIZE = (160, 30)


async def test_a_trickling_link_to_a_real_daemon(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """A proxy (or a daemon) that trickles its reply, 1 byte per 0.1 s, no longer
    freezes the table under ``● connected``: the bar says how old the data is, the
    poll is given up at the deadline, and all is well once the link is."""
    await client.add_uri([files.make_file("behind-proxy.bin", 4096)], {"pause": True})
    with TrickleProxy(daemon.url) as proxy:
        endpoint = Endpoint(proxy.url, daemon.secret, "behind a proxy")
        app = app_for(endpoint, tmp_path, interval=0.5, timeout=3.0)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
            proxy.trickle = True
            await until(pilot, lambda: "no reply for" in screen_text(app), "the data's age")
            assert "● connected" not in screen_text(app) and app.dashboard.table.has_class("-stale")
            await until(pilot, lambda: "within 3 s" in screen_text(app), "the deadline")
            proxy.trickle = False
            await until(pilot, lambda: "● connected" in screen_text(app), "connected", 30)
            assert len(app.dashboard.shown) == 1 and not app.dashboard.table.has_class("-stale")
