"""aria2's errors told by their cause, against a real daemon (issue 25)."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.ui import running_app, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (140, 45)


async def test_bt_stop_timeout_is_said_as_no_peer_sending_data(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    # A torrent no peer has (no tracker, no DHT): with its own bt-stop-timeout of 2 s
    # (the daemon's is 0), aria2 stops it with code 7 and runs on.
    torrent = make_torrent(tmp_path / "src", {"lonely.bin": 50_000}, name="lonely")
    gid = await client.add_torrent(torrent, options={"bt-stop-timeout": "2"})
    await wait_for_status(client, gid, {"error"})
    status = await client.call("aria2.tellStatus", gid, ["errorCode", "errorMessage"])
    assert status == {"errorCode": "7", "errorMessage": ""}
    assert (await client.call("aria2.getGlobalOption"))["bt-stop-timeout"] == "0"
    async with running_app(daemon, tmp_path, size=SIZE, rows=1) as (app, pilot):
        await pilot.press("enter")
        await until(
            pilot,
            lambda: "no peer sent data for 2 s" in screen_text(app),
            "the Overview says why, with the download's own timeout",
        )
        assert "unfinished when aria2 stopped" not in screen_text(app)
