"""Turtle limits (T, ``[turtle]``) on real aria2c: T sets the turtle global limits
and the stats bar says so; T again puts back exactly the limits there were; quitting
while turtle is on puts them back before the app lets go; limits changed meanwhile
are kept; the schedule switches on a fake clock; a daemon's own turtle table."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time
from pathlib import Path

from aria2_top.config.turtle_table import TurtleSettings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.events import EventKind
from aria2_top.model.turtle import TurtleConfig
from aria2_top.ui.app import Aria2TopApp
from tests.conftest import DaemonFactory
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, notices, screen_text, until

SIZE = (100, 30)
DOWN, UP = "max-overall-download-limit", "max-overall-upload-limit"
BEFORE = {DOWN: str(300 << 10), UP: str(70 << 10)}
"""Limits of the user's own, set before the app starts (not aria2's defaults)."""


async def _limits(client: TestClient) -> tuple[str, str]:
    options = await client.get_global_option()
    return options[DOWN], options[UP]


def _stats(app: Aria2TopApp) -> str:
    return screen_text(app).splitlines()[0]


def _turtle_events(app: Aria2TopApp) -> list[str]:
    """The event log's turtle lines, oldest first."""
    events = reversed(app.dashboard.events.newest_first())
    return [e.text for e in events if e.kind is EventKind.TURTLE]


async def test_t_sets_the_default_turtle_limits_and_t_again_puts_back_exactly_the_old_ones(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    await client.change_global_option(BEFORE)
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "[300.0K/s]" in _stats(app), "the user's limits shown")
        assert "turtle" not in _stats(app)
        await pilot.press("T")
        await until(pilot, lambda: "turtle" in _stats(app), "the turtle mark")
        assert await _limits(client) == (str(50 << 10), str(10 << 10))
        await until(pilot, lambda: "[50.0K/s]" in _stats(app), "the turtle limits shown")
        assert "[10.0K/s]" in _stats(app)
        assert "default limits" in notices(app), "T without [turtle] says where to set them"
        await pilot.press("T")
        await until(pilot, lambda: "turtle" not in _stats(app), "the mark gone")
        assert await _limits(client) == (BEFORE[DOWN], BEFORE[UP])
        await until(pilot, lambda: "[300.0K/s]" in _stats(app), "the user's limits again")
        said = _turtle_events(app)
        assert said[0].startswith("turtle on (T): ↓ 50.0K/s ↑ 10.0K/s (were ↓ 300.0K/s ↑ 70.0K/s)")
        assert said[1] == "turtle off (T): ↓ 300.0K/s ↑ 70.0K/s again"


async def test_quitting_while_turtle_is_on_puts_the_old_limits_back(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    await client.change_global_option(BEFORE)
    turtle = TurtleSettings(TurtleConfig(down=20 << 10, up=0))
    settings = dataclasses.replace(make_settings(tmp_path), turtle=turtle)
    app = app_for(daemon, settings=settings, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        await pilot.press("T")
        await until(pilot, lambda: "turtle" in _stats(app), "the turtle mark")
        assert await _limits(client) == (str(20 << 10), "0")
        assert "default limits" not in notices(app)
        await pilot.press("q")
    assert await _limits(client) == (BEFORE[DOWN], BEFORE[UP])
    assert any("turtle off, the global limits are back" in note for note in app.exit_notes)


async def test_limits_changed_while_turtle_is_on_are_kept(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    """+ while turtle is on: the user's new limit stays, turtle ends, and quitting
    does not put the old limits back over it."""
    await client.change_global_option(BEFORE)
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        await pilot.press("T")
        await until(pilot, lambda: "[50.0K/s]" in _stats(app), "the turtle limits shown")
        await pilot.press("plus")  # 50K -> the next step up, 64K
        await until(pilot, lambda: "turtle" not in _stats(app), "turtle ended")
        assert "the global limits were changed to ↓ 64.0K/s" in _turtle_events(app)[-1]
        await pilot.press("q")
    assert await _limits(client) == (str(64 << 10), str(10 << 10))


async def test_the_schedule_switches_turtle_on_and_off_on_a_fake_clock(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    """From 22:00 to 06:00 on Mondays: the app starting at 23:00 turns turtle on, T
    by hand wins until the next edge, 06:00 turns it off; each switch is logged."""
    await client.change_global_option(BEFORE)
    night = TurtleConfig(down=40 << 10, up=8 << 10, start=time(22), end=time(6))
    turtle = TurtleSettings(dataclasses.replace(night, days=frozenset({0})))
    settings = dataclasses.replace(make_settings(tmp_path), turtle=turtle)
    app = app_for(daemon, settings=settings, label="d")
    now = [datetime(2024, 1, 1, 23, 0)]  # a Monday
    app.dashboard.turtle.clock = lambda: now[0]
    app.dashboard.turtle.check_seconds = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "turtle" in _stats(app), "on at start, inside the range")
        assert await _limits(client) == (str(40 << 10), str(8 << 10))
        await pilot.press("T")  # by hand: off, and it stays off…
        await until(pilot, lambda: "turtle" not in _stats(app), "off by hand")
        now[0] = datetime(2024, 1, 2, 1, 0)
        app.dashboard.turtle.check_schedule()  # a look with no edge: it stays off…
        await pilot.pause(0.3)
        assert "turtle" not in _stats(app) and len(_turtle_events(app)) == 2
        now[0] = datetime(2024, 1, 2, 6, 0)
        app.dashboard.turtle.check_schedule()  # … until the edge at 06:00 (off already)
        now[0] = datetime(2024, 1, 8, 22, 0)  # next Monday night: the timer sees it
        await until(pilot, lambda: "turtle" in _stats(app), "on at 22:00")
        now[0] = datetime(2024, 1, 9, 6, 0)
        await until(pilot, lambda: "turtle" not in _stats(app), "off at 06:00")
        assert await _limits(client) == (BEFORE[DOWN], BEFORE[UP])
        said = _turtle_events(app)
        assert [line.split(":")[0] for line in said] == [
            "turtle on (schedule 22",
            "turtle off (T)",
            "turtle on (schedule 22",
            "turtle off (schedule 22",
        ]
        assert "schedule 22:00–06:00 mon" in said[0]
        await pilot.press("e")
        await until(pilot, lambda: "turtle off (schedule" in screen_text(app), "the log")


async def test_each_daemon_has_its_own_turtle_and_its_own_limits_back(
    daemons: DaemonFactory, tmp_path: Path
) -> None:
    nas, box = await daemons.start(name="nas"), await daemons.start(name="box")
    async with TestClient(nas.url, nas.secret) as on_nas, TestClient(box.url, box.secret) as on_box:
        await on_nas.change_global_option(BEFORE)
        turtle = TurtleSettings(
            TurtleConfig(down=30 << 10), (("nas", TurtleConfig(down=5 << 10, up=1 << 10)),)
        )
        settings = dataclasses.replace(make_settings(tmp_path), turtle=turtle)
        endpoints = [Endpoint(nas.url, nas.secret, "nas"), Endpoint(box.url, box.secret, "box")]
        app = app_for(endpoints, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(app.dashboard.snapshots) == 2, "both daemons")
            await pilot.press("T")
            await until(pilot, lambda: len(_turtle_events(app)) == 2, "both switched")
            assert await _limits(on_nas) == (str(5 << 10), str(1 << 10))
            assert await _limits(on_box) == (str(30 << 10), str(10 << 10))
            assert "turtle" in _stats(app)
        assert await _limits(on_nas) == (BEFORE[DOWN], BEFORE[UP])
        assert await _limits(on_box) == ("0", "0")
