"""The one rule for which speeds aria2 reports are real (model/speeds.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from aria2_top.model import speeds
from aria2_top.model.downloads import Download
from aria2_top.model.speeds import SETTLE_SECONDS, SpeedWatch, plausible_speed, total_within
from aria2_top.ui.app import Aria2TopApp
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import app_for, screen_text, until

M = 1 << 20


def test_plausible_speed() -> None:
    started = (0, 10.0)
    assert plausible_speed(16 << 20, 16 << 10, 10.2, started) == 80 << 10  # a spike
    assert plausible_speed(300_000, 600_000, 12.0, started) == 300_000  # backed
    assert plausible_speed(250_000, 0, 10.5, started) == 0  # nothing done yet
    assert plausible_speed(60_000, 0, 10.5, started) == 60_000  # within the slack
    assert plausible_speed(None, 1, 11.0, started) is None


def test_a_new_phase_is_a_new_start() -> None:
    """A hash check (or a magnet's metadata) longer than the settling time, then the
    transfer with aria2's spike: the spike is not believed."""
    watch = SpeedWatch()
    assert watch.judge(0, 0, 0.0, phase="checking", first_sight=True) == 0
    assert watch.judge(0, 100 * M, 5.0, phase="checking", first_sight=False) == 0
    spike = watch.judge(92 * M, 100 * M, 5.5, phase="active", first_sight=False)
    assert spike == 0, "nothing done since the transfer began"
    later = watch.judge(300_000, 100 * M + 900_000, 8.5, phase="active", first_sight=False)
    assert later == 300_000


def test_first_sight_believes_only_what_ran_a_while() -> None:
    assert SpeedWatch().judge(M, 3600 * M, 0.0, phase="active", first_sight=True) == M
    resumed = SpeedWatch()  # 100 MiB from an earlier run, aria2's spike at its restart
    assert resumed.judge(92 * M, 100 * M, 0.0, phase="active", first_sight=True) == 0


def test_never_far_above_the_limit() -> None:
    watch = SpeedWatch()
    assert watch.judge(300_000, 9 * M, 0.0, phase="active", first_sight=True) == 300_000
    believed = watch.judge(279 * M, 10 * M, SETTLE_SECONDS + 1, phase="active", first_sight=False)
    assert believed == 279 * M, "no limit: a settled download's speed is aria2's"
    kept = watch.judge(500_000, 10 * M, 9.0, phase="active", first_sight=False, limit=300_000)
    assert kept == 500_000, "a burst within twice the limit (and the slack) is real"
    spike = watch.judge(279 * M, 10 * M, 9.5, phase="active", first_sight=False, limit=300_000)
    assert spike == 300_000
    assert watch.judge(None, None, 10.0, phase="active", first_sight=False) is None


def test_not_transferring_passes_through_and_restarts() -> None:
    watch = SpeedWatch()
    assert watch.judge(0, 5, 0.0, phase="", first_sight=True) == 0
    assert watch.since is None and watch.phase == ""


def test_daemon_total() -> None:
    assert total_within(92 * M, 300_000, None) == 300_000
    assert total_within(400_000, 300_000, None) == 400_000
    assert total_within(900_000, 900_000, 300_000) == 300_000
    assert total_within(None, 5, None) is None


async def test_the_speed_tab_shows_real_speeds_only(
    fake: FakeDaemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A torrent checked for longer than the settling time, then aria2's spike as it
    starts to transfer, under a 300K/s global limit: neither the table nor the Speed
    tab (its now, mean and peak) shows the spike."""
    monkeypatch.setattr(speeds, "SETTLE_SECONDS", 0.5)
    with fake.lock:
        fake.global_options["max-overall-download-limit"] = "307200"
    gid = fake.add(
        "movie.mkv",
        "active",
        total=200 * M,
        completed=0,
        down_speed=0,
        torrent=True,
        verifiedLength="0",
    )
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: "checking" in screen_text(app), "the check")
        checked_at = time.monotonic()
        await until(pilot, lambda: time.monotonic() - checked_at > 1.0, "the settling time")
        with fake.lock:
            del fake.get(gid)["verifiedLength"]
        fake.update(gid, completedLength=str(100 * M), downloadSpeed=str(92 * M))
        await until(pilot, lambda: _row(app).status.value == "active", "the transfer")
        await pilot.press("enter", "7")
        for step in range(1, 6):  # later: far above the limit, while 300K/s come in
            fake.update(gid, completedLength=str(100 * M + step * 300_000))
            fake.update(gid, downloadSpeed=str(279 * M))
            await _two_more_polls(pilot, app)
        await until(pilot, lambda: "peak" in screen_text(app), "the Speed tab")
        speeds_seen = app.dashboard.sessions[0].history.of(_row(app).key)
        assert speeds_seen and max(down for down, _ in speeds_seen) <= 300 << 10
        assert "M/s" not in screen_text(app)


async def _two_more_polls(pilot: Pilot[None], app: Aria2TopApp) -> None:
    poller = app.dashboard.sessions[0].poller
    seen = poller.ticks
    await until(pilot, lambda: poller.ticks > seen + 1, "two more polls")


def _row(app: Aria2TopApp) -> Download:
    return app.dashboard.shown[0]
