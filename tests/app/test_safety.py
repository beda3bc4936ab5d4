"""The app's safety on the fake daemon: an unexpected error is said (and reported) and
the app keeps running; hostile names never misalign the columns; queue positions
past 10,000."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from aria2_top.ui.dashboard import DashboardScreen
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import app_for, notices, screen_text, until

SIZE = (140, 35)


async def test_an_unexpected_error_writes_a_report_and_exits_1(
    fake: FakeDaemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: DashboardScreen) -> None:
        raise RuntimeError("a bug, with token:fake-secret in its message")

    monkeypatch.setattr(DashboardScreen, "action_help", boom)
    app = app_for(fake, tmp_path, label="fake")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f1")
    assert app.return_code == 1 and app.crash_report is not None
    report = app.crash_report.read_text()
    assert "RuntimeError" in report and "boom" in report
    assert "fake-secret" not in report
    assert app.crash_report.stat().st_mode & 0o777 == 0o600


HOSTILE_NAMES = [
    "❤️ love.bin",
    "👨‍👩‍👧 family.bin",
    "👍🏽 thumbs.bin",
    "🇩🇪 flag.bin",
    "line\u2028break.bin",
    "zero\u200bwidth.bin",
    "\u202eevil.exe",
]


async def test_hostile_names_never_misalign_the_columns(fake: FakeDaemon, tmp_path: Path) -> None:
    for name in HOSTILE_NAMES:
        fake.add(name, "waiting", total=1000, completed=0)
    fake.add("plain.bin", "waiting", total=1000, completed=0)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == len(HOSTILE_NAMES) + 1, "the rows")
        rows = [line for line in screen_text(app).splitlines() if "waiting" in line][1:]
        assert len(rows) == len(HOSTILE_NAMES) + 1
        columns = {cell_len(row[: row.index("waiting")]) for row in rows}
        assert len(columns) == 1, rows
        assert "\u2028" not in screen_text(app) and "\u202e" not in screen_text(app)


async def test_queue_positions_past_ten_thousand_are_shown_whole(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    with fake.lock:
        for number in range(10_001):
            fake.add(f"queued-{number}.bin", "waiting", total=1000, completed=0)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 10_001, "every row", 60)
        await pilot.press("G", "space", "k")
        text = screen_text(app)
        assert "10001  queued-10000.bin" in text.replace("●", " ")
        assert "●10001" in text
        assert "9999  queued-9998.bin" in text


async def test_an_unexpected_error_in_an_action_is_said_and_the_app_keeps_running(
    fake: FakeDaemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug in pause, token:fake-secret")

    monkeypatch.setattr("aria2_top.ops.actions.toggle_pause", broken)
    fake.add("calm.iso", "paused")
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("p")
        await until(pilot, lambda: "unexpected RuntimeError" in notices(app), "the notice")
        assert app.is_running
        reports = list((tmp_path / "data").glob("crash-*.txt"))
        assert len(reports) == 1 and "fake-secret" not in reports[0].read_text()
        await pilot.press("space")  # the keys still work
        assert len(app.dashboard.tagged) == 1
