"""One rule for sizes and speeds, on real aria2c: the table, the Overview and the
Remove dialog say a finished file's size alike; Options reads aria2's byte values as
sizes (its huge sentinel as ``no limit``); the fleet bar adds up the limits."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.conftest import DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, burst, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)
BYTES = 180_224
"""176.0K: the size the issue saw said three ways."""


async def test_table_overview_and_remove_dialog_say_one_size(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("rule/finished.bin", BYTES)])
    await wait_for_status(client, gid, {"complete"})
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the finished row")
        await until(pilot, lambda: "176.0K" in _row(app), "the table's Size")
        await pilot.press("enter")
        await until(pilot, lambda: "176.0K of 176.0K (100%)" in screen_text(app), "Overview")
        await pilot.press("escape", "f9")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "the dialog")
        await until(pilot, lambda: "d deletes 1 file, 176.0K" in screen_text(app), "its size")
        assert "KiB" not in screen_text(app)
        await pilot.press("escape")
    assert (Path(daemon.state_dir or "").parent / "downloads" / "finished.bin").exists()


def _row(app: Aria2TopApp) -> str:
    """The table's line of the download."""
    return next((line for line in screen_text(app).splitlines() if "finished.bin" in line), "")


async def test_options_read_byte_values_as_sizes(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    options = await client.get_global_option()
    assert options["max-mmap-limit"] == "9223372036854775807"  # aria2's "no limit"
    assert options["min-split-size"] == "20971520"
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("O")
        await until(pilot, lambda: isinstance(app.screen, GlobalOptionsScreen), "Options")
        await burst(pilot, "mmap")
        await until(pilot, lambda: "max-mmap-limit" in screen_text(app), "filtered")
        lines = [line for line in screen_text(app).splitlines() if "max-mmap-limit" in line]
        assert "no limit" in lines[0] and "9223372036854775807" not in lines[0]
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, "min-split")
        await until(pilot, lambda: "20.0M" in screen_text(app), "min-split-size as a size")


async def test_the_fleet_bar_adds_up_the_daemons_limits(
    daemons: DaemonFactory, tmp_path: Path
) -> None:
    """Three daemons each held to 300K: the bar says 900.0K/s in all, never one
    daemon's 300.0K/s beside everyone's speed; one unlimited makes it mixed."""
    limited = {"max-overall-download-limit": "300K"}
    started = [await daemons.start(name=f"d{i}", options=limited) for i in range(3)]
    endpoints = [Endpoint(d.url, d.secret, f"d{i}") for i, d in enumerate(started)]
    app = app_for(endpoints, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: "[900.0K/s]" in _bar(app), "the summed limit")
        assert "[300.0K/s]" not in _bar(app)
        async with TestClient(started[0].url, started[0].secret) as client:
            await client.change_global_option({"max-overall-download-limit": "0"})
        await until(pilot, lambda: "[mixed]" in _bar(app).split("↑")[0], "mixed ↓ limits")


def _bar(app: Aria2TopApp) -> str:
    return screen_text(app).splitlines()[0]
