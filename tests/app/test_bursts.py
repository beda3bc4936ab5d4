"""No sequence of keys crashes the app: ``q`` and the keys typed behind it in one
burst (``qe`` used to end in NoMatches on the events screen), and every screen's keys
in a burst with ``q``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.screen import Screen

from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.keys import KEYS
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.daemons import DaemonsScreen
from aria2_top.ui.screens.debug_info import DebugInfoScreen
from aria2_top.ui.screens.events import EventsScreen
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.help import HelpScreen
from aria2_top.ui.screens.history import HistoryScreen
from aria2_top.ui.screens.setup import SetupScreen
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import app_for, burst_keys, until

SIZE = (120, 35)
EVERY_KEY = sorted({key for spec in KEYS for key in spec.keys.split(",")})


def _app(fake: FakeDaemon, tmp_path: Path) -> Aria2TopApp:
    for number in range(3):
        fake.add(f"burst-{number}.iso", "active" if number == 0 else "paused")
    return app_for(fake, tmp_path, label="fake")


async def _quits_cleanly(app: Aria2TopApp, keys: list[str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the rows")
        await burst_keys(pilot, keys)
        await until(pilot, lambda: not app.is_running, "the app to end")
    assert app.return_code == 0 and app.crash_report is None, keys


@pytest.mark.parametrize("key", EVERY_KEY)
async def test_q_then_any_key_in_one_burst(fake: FakeDaemon, tmp_path: Path, key: str) -> None:
    await _quits_cleanly(_app(fake, tmp_path), ["q", key, key])


async def test_q_then_every_key_in_one_burst(fake: FakeDaemon, tmp_path: Path) -> None:
    await _quits_cleanly(_app(fake, tmp_path), ["q", *EVERY_KEY, "enter", "escape"])


SCREENS: list[tuple[str, type[Screen[Any]]]] = [
    ("e", EventsScreen),
    ("7", HistoryScreen),
    ("f1", HelpScreen),
    ("D", DaemonsScreen),
    ("f2", SetupScreen),
    ("a", AddDialog),
    ("O", GlobalOptionsScreen),
    ("f12", DebugInfoScreen),
]


def _keys_of(screen: type[Screen[Any]]) -> list[str]:
    keys = []
    for binding in screen.BINDINGS:
        if isinstance(binding, Binding):
            keys += binding.key.split(",")
    return keys


@pytest.mark.parametrize(("opener", "screen"), SCREENS, ids=[s[1].__name__ for s in SCREENS])
async def test_every_screens_keys_in_a_burst_with_q(
    fake: FakeDaemon, tmp_path: Path, opener: str, screen: type[Screen[Any]]
) -> None:
    """The screen open, its own keys and q behind them, then q and all of them again:
    the app runs on or ends cleanly, never on an error."""
    app = _app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the rows")
        await pilot.press(opener)
        await until(pilot, lambda: isinstance(app.screen, screen), screen.__name__)
        keys = [key for key in _keys_of(screen) if key != "ctrl+c"]
        await burst_keys(pilot, [*keys, "q", *keys, "escape", "escape", "q", *keys])
        await pilot.pause(0.5)
        assert app.crash_report is None
        for _ in range(4):
            if app.is_running and not app.quitting:
                await pilot.press("escape", "escape", "q")
        await until(pilot, lambda: not app.is_running, "the app to end")
    assert app.return_code == 0 and app.crash_report is None
