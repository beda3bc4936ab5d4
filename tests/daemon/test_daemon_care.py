"""The Daemons screen (D) manages a daemon, against real aria2c: s saves its session,
v shows the private daemon's log, R restarts the private daemon with its downloads,
X shuts a daemon down once the user says yes (n keeps it running)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.private import PrivateDaemon
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.daemons import DaemonsScreen
from aria2_top.ui.screens.log_view import LogScreen
from tests.conftest import DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, notices, screen_text, until
from tests.support.waiting import wait_until

SIZE = (140, 35)


async def _daemons_screen(app: Aria2TopApp, pilot: Pilot[None], rows: int) -> None:
    await until(pilot, lambda: len(app.dashboard.shown) == rows, "the rows")
    await pilot.press("D")
    await until(pilot, lambda: isinstance(app.screen, DaemonsScreen), "the daemons screen")


async def test_s_saves_the_session_or_says_aria2s_error(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    kept = await daemons.start(name="kept", keep_session=True)
    plain = await daemons.start(name="plain")
    session_file = Path(kept.state_dir or "") / "aria2c.session"
    async with TestClient(kept.url, kept.secret) as rpc:
        gid = await rpc.add_uri([files.make_file("care-kept.bin", 4096)], {"pause": True})
    assert not session_file.exists()  # aria2 writes it when asked, or on exit
    endpoints = [
        Endpoint(kept.url, kept.secret, "kept"),
        Endpoint(plain.url, plain.secret, "plain"),
    ]
    app = app_for(endpoints, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _daemons_screen(app, pilot, 1)
        assert "s save session" in screen_text(app)
        await pilot.press("s")
        await until(pilot, lambda: "kept: session saved" in notices(app), "saved")
        assert f"gid={gid}" in session_file.read_text()
        await pilot.press("j", "s")
        await until(pilot, lambda: "plain: session not saved" in notices(app), "aria2's error")
        # Neither is aria2-top's private daemon: no log here, no restart, and the
        # screen is still there.
        await pilot.press("v", "R")
        await until(pilot, lambda: "its log is on its own machine" in notices(app), "no log")
        await until(pilot, lambda: "only aria2-top's private daemon" in notices(app), "no R")
        assert isinstance(app.screen, DaemonsScreen)


async def test_x_shuts_a_daemon_down_after_yes_and_n_keeps_it(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    app = app_for(daemon, tmp_path, label="box")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DaemonsScreen), "the daemons screen")
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the question")
        assert "Shut down the aria2c box at" in screen_text(app)
        await pilot.press("n")
        await until(pilot, lambda: "box: kept running" in notices(app), "kept")
        assert (await client.get_version())["version"]
        assert not daemon.exited()
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the question again")
        await pilot.press("y")
        await until(pilot, lambda: "box: shutting down" in notices(app), "shutting down")

        async def exited() -> bool:
            return daemon.exited()

        await wait_until(exited, what="aria2c to exit", timeout=30)


@asynccontextmanager
async def _private(tmp_path: Path) -> AsyncIterator[tuple[PrivateDaemon, Endpoint]]:
    settings = make_settings(tmp_path)
    private = await PrivateDaemon.attach(settings.data_dir, settings.download_dir)
    try:
        yield (
            private,
            Endpoint(private.daemon.url, private.daemon.secret, "private daemon", private),
        )
    finally:
        await private.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")
async def test_v_shows_the_private_log_and_r_restarts_it_with_its_downloads(
    tmp_path: Path, files: FileServer, aria2c_binary: Path
) -> None:
    async with _private(tmp_path) as (private, endpoint):
        async with TestClient(endpoint.url, endpoint.secret) as rpc:
            gids = [
                await rpc.add_uri([files.make_file(f"care-{n}.bin", 4096)], {"pause": True})
                for n in range(3)
            ]
        log = private.log_path
        assert log.stat().st_mode & 0o077 == 0
        old_pid, url = private.daemon.pid, private.daemon.url
        app = app_for(endpoint, settings=make_settings(tmp_path))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await _daemons_screen(app, pilot, 3)
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, LogScreen), "the log")
            await until(pilot, lambda: "RPC: listening on TCP port" in screen_text(app), "a line")
            assert private.daemon.secret not in screen_text(app)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, DaemonsScreen), "back")
            await pilot.press("R")
            await until(
                pilot, lambda: "restarted the private aria2c" in notices(app), "restarted", 30
            )
            assert "3 downloads back" in notices(app)
            assert private.daemon.pid != old_pid and private.daemon.url == url
            assert app.client.url == url
            await pilot.press("escape")
            await until(pilot, lambda: "● connected" in screen_text(app), "connected again")
            await until(
                pilot,
                lambda: sorted(d.gid for d in app.dashboard.shown) == sorted(gids),
                "the same downloads, by their GIDs",
            )
        assert "runs again" not in notices(app)  # a restart asked for is not a revival
