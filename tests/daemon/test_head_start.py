"""The head start on the real daemon: the sessions poll before the app exists (as the
command does while it imports the app), hold what they learn, and the app takes them
over: the first rows at once, the rest of a long list once they are drawn."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.live.head_start import HeadStart
from aria2_top.live.poller import FIRST_ROWS
from aria2_top.rpc.client import RpcCall
from aria2_top.storage.history_file import DownloadHistory, history_path
from aria2_top.ui.app import Aria2TopApp
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import make_settings, screen_text, until
from tests.support.waiting import wait_until

COUNT = FIRST_ROWS + 50
"""More downloads than the first rows: the rest is read only once the app took over."""


async def _held(head: HeadStart) -> int:
    return head.held_snapshots


async def test_the_app_takes_over_sessions_polling_before_it(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("early.bin", 64 << 10)
    await client.multicall([RpcCall("aria2.addUri", [[url], {"pause": "true"}])] * COUNT)
    settings = make_settings(tmp_path)
    history = DownloadHistory(history_path(settings.data_dir))
    endpoints = [Endpoint(daemon.url, daemon.secret, "d")]
    head = HeadStart(endpoints, settings, history=history)
    head.start()
    await wait_until(lambda: _held(head), what="the first rows, held")
    poller = head.sessions[0].poller
    assert poller.ticks == 0, "the first tick waits for the app before reading the rest"

    app = Aria2TopApp(endpoints, settings, head_start=head)
    assert app.sessions == head.sessions and app.download_history is history
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: f"All {COUNT}" in screen_text(app), f"all {COUNT} rows")
        assert "early.bin" in screen_text(app)
        assert head.held_snapshots == 0
        await until(pilot, lambda: poller.ticks >= 2, "the polls go on after the hand-over")
        assert len(app.dashboard.shown) == COUNT


async def test_a_head_start_no_app_took_stops_cleanly(
    daemon: RunningDaemon, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    history = DownloadHistory(None)
    head = HeadStart([Endpoint(daemon.url, daemon.secret, "d")], settings, history=history)
    head.start()
    await wait_until(lambda: _held(head), what="a snapshot, held")
    await head.stop()
    assert all(task.done() for task in head.tasks)
