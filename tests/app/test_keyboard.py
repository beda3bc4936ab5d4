"""Keys typed fast on the fake daemon: search in sight, numbers sorted largest first,
counts that agree, bursts through text fields."""

from __future__ import annotations

from pathlib import Path

from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import (
    app_for,
    burst,
    notices,
    screen_text,
    table,
    until,
)

SIZE = (120, 35)


async def test_search_stays_in_sight_and_says_no_match(fake: FakeDaemon, tmp_path: Path) -> None:
    for number in range(60):
        fake.add(f"file-{number:02d}.bin", "paused")
    fake.add("needle.iso", "paused")
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 61, "the rows")
        await pilot.press("slash", *"needle")
        assert table(app).focused_gid == app.dashboard.shown[-1].gid
        lines = screen_text(app).splitlines()
        needle_line = next(i for i, line in enumerate(lines) if "needle.iso" in line)
        prompt_line = next(
            i for i, line in enumerate(lines) if "needle" in line and i != needle_line
        )
        assert needle_line < prompt_line, "the match is above the prompt, not under it"
        await pilot.press("escape", "g", "j", "slash", *"nothing-like-it")
        assert table(app).cursor_row == 1, "a failed search leaves the cursor where it was"
        await pilot.press("enter")
        await until(pilot, lambda: "no match for 'nothing-like-it'" in notices(app), "no match")


async def test_numbers_sort_largest_first_and_ties_stay_put(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    for name, total in (("small", 1000), ("big", 9000), ("same-b", 5000), ("same-a", 5000)):
        fake.add(f"{name}.bin", "paused", total=total, completed=0)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "the rows")
        await pilot.press("f6", *["down"] * 4, "enter")  # Size
        assert app.dashboard.sort_column == "size" and app.dashboard.sort_reverse
        order = [d.name for d in app.dashboard.shown]
        assert order == ["big.bin", "same-b.bin", "same-a.bin", "small.bin"]  # queue order
        for _ in range(3):
            await pilot.pause(0.3)
            assert [d.name for d in app.dashboard.shown] == order


async def test_counts_agree_and_spikes_are_not_shown(fake: FakeDaemon, tmp_path: Path) -> None:
    """The bar counts as the tabs do; a filter shows matches/all in the tabs; a paused
    row shows no lingering speed; aria2's start-up spike is not shown as real."""
    fake.add("spiky.iso", "active", total=10 << 20, completed=16 << 10, down_speed=16 << 20)
    fake.add("resting.iso", "paused", total=1000, completed=10, downloadSpeed="27000")
    fake.add("queued.bin", "waiting", total=1000, completed=0)
    fake.add("old.bin", "complete", total=1000, completed=1000)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(160, 30)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "the rows")
        text = screen_text(app)
        assert "active 1 · waiting 1 · paused 1 · stopped 1" in text
        spiky = next(d for d in app.dashboard.shown if d.name == "spiky.iso")
        resting = next(d for d in app.dashboard.shown if d.name == "resting.iso")
        assert spiky.down_speed == 0, "16 MB/s after 16 KB is not a speed"
        assert resting.down_speed == 0 and resting.eta is None
        assert "16.0M/s" not in text
        # A second later it has really moved 300 KB: that speed is shown.
        gid = spiky.gid
        fake.update(gid, completedLength=str((16 << 10) + 300_000), downloadSpeed="300000")
        await until(pilot, lambda: "293.0K/s" in screen_text(app), "the real speed")
        await pilot.press("backslash", *"iso", "enter")
        assert "All 2/4" in screen_text(app) and "Paused 1/1" in screen_text(app)


async def test_bursts_through_text_fields_land_where_typed(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """Keys after Enter in the filter go to the table; Ctrl+U and Backspace in a field
    act where they were typed; Ctrl+S adds what was pasted just before it."""
    for number in range(4):
        fake.add(f"burst-{number}.bin", "paused")
    fake.add("laptop-only.iso", "paused")
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 5, "the rows")
        await burst(pilot, "\\burst\rj")
        await until(pilot, lambda: app.dashboard.filter_text == "burst", "the filter")
        await until(pilot, lambda: table(app).cursor_row == 1, "j moved the table")
        await burst(pilot, "L\x15500K\r")
        await until(pilot, lambda: "global limits ↓ 500.0K/s" in notices(app), "the limit")
        await burst(pilot, "L\x15900Kx\x7f\r")  # Backspace takes the x back
        await until(pilot, lambda: "global limits ↓ 900.0K/s" in notices(app), "the limit")


async def test_the_footer_fits_80_columns_with_the_pane_open(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """With the pane open its Esc takes the footer's first place and Enter steps aside
    there, so the last key (\\ Filter) is whole at 80 columns."""
    fake.add("one.bin", "paused")
    fake.add("two.bin", "paused")
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")

        def footer() -> str:
            lines = screen_text(app).splitlines()
            return next((ln for ln in reversed(lines) if "f1 Help" in ln), "")

        await until(pilot, lambda: "⏎ Details" in footer(), "the footer")
        await pilot.press("enter")
        await until(pilot, lambda: "esc Close" in footer(), "the pane's Esc")
        assert "⏎ Details" not in footer() and "\\ Filter" in footer(), footer()
        await pilot.press("escape")
        await until(pilot, lambda: "⏎ Details" in footer(), "Enter back in the footer")
