"""History (7) on a history of many records: read a page at a time, searched in the
file, counted right, names shown as text; the app never reads the file whole."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from aria2_top.model.downloads import Download, Status
from aria2_top.storage import history_search
from aria2_top.storage.history_file import DownloadHistory, Record, history_path
from aria2_top.storage.history_search import FileView
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.history import PAGE, HistoryScreen, HistoryTable
from tests.support.ui import make_settings, recorded_app, screen_text, until

SIZE = (140, 35)
N = 3 * PAGE + 37
RECORDED = 11
"""The downloads of the recorded daemon (the app records them too)."""


def _download(number: int, name: str) -> Download:
    return Download(
        gid=f"{number:016x}",
        name=name,
        status=Status.COMPLETE,
        aria2_status="complete",
        daemon="elsewhere",
        total=1000 + number,
        source=f"https://example.org/{number}",
    )


def _history(data: Path) -> None:
    history = DownloadHistory(history_path(data))
    for number in range(N):
        name = "[b]b[/b][i]zqoldest" if number == 0 else f"file-{number:04d}.iso"
        history.stamp(_download(number, name))  # added in this order: 0 is the oldest
    history.close()


async def _opened_history(pilot: Pilot[None], app: Aria2TopApp) -> HistoryScreen:
    """History (7), opened once the dashboard shows the recorded downloads."""
    await until(pilot, lambda: len(app.dashboard.shown) == RECORDED, "the rows")
    await pilot.press("7")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_history_reads_pages_finds_the_last_and_counts_right(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, interval=3600)
    _history(settings.data_dir)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened_history(pilot, app)
        total = N + RECORDED
        assert len(screen.shown) == PAGE < total, "one page read"
        assert f"{total:,} of {total:,}" in screen_text(app)
        await pilot.press(*"zqoldest")  # the oldest record: on the last page
        await until(pilot, lambda: screen.needle == "zqoldest", "typed")
        assert [r.gid for r in screen.shown] == [f"{0:016x}"], (screen.found, screen.shown[:3])
        assert f"1 of {total:,}" in screen_text(app)
        text = screen_text(app)
        assert "[b]b[/b][i]zqoldest" in text, "markup shown as text"
        for _ in "zqoldest":
            await pilot.press("backspace")
        await pilot.press(*"file-0")
        await until(pilot, lambda: screen.needle == "file-0", "typed")
        assert screen.found == N - 1
        assert f"{N - 1:,} of {total:,}" in screen_text(app)
        await pilot.press("enter")  # to the rows
        await pilot.press("ctrl+end")
        await until(pilot, lambda: screen.start + len(screen.shown) == N - 1, "the last page")
        assert screen.shown[-1].name == "file-0001.iso", "the oldest match, at the end"
        await pilot.press("ctrl+home")
        await until(pilot, lambda: screen.start == 0, "the first page")
        assert screen.shown[0].name == f"file-{N - 1:04d}.iso"
        for _ in range(PAGE // 10):
            await pilot.press("pagedown")
        await until(pilot, lambda: len(screen.shown) > PAGE, "the next page as the cursor goes")
        names = [r.name for r in screen.shown]
        assert len(set(names)) == len(names), "each record once"


@pytest.mark.parametrize("history", [True, False])
async def test_the_app_starts_without_reading_the_whole_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: bool
) -> None:
    """The poller looks up only the downloads aria2 holds; History searches the file
    (or, with ``history = false``, what the app saw)."""

    def whole(self: DownloadHistory) -> None:
        raise AssertionError("the whole history was read")

    monkeypatch.setattr(DownloadHistory, "_read_all", whole)
    settings = make_settings(tmp_path, interval=3600)
    _history(settings.data_dir)
    if not history:
        import dataclasses

        settings = dataclasses.replace(settings, history=False)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == RECORDED, "the rows")
        assert all(d.added is not None for d in app.dashboard.shown)
        screen = await _opened_history(pilot, app)
        expected = N + RECORDED if history else RECORDED
        assert screen.total == expected
        name = app.dashboard.shown[0].name
        await pilot.press(*name)
        await until(pilot, lambda: screen.needle == name, "typed")
        assert any(r.name == name for r in screen.shown) and screen.found >= 1


async def test_a_short_search_is_counted_aside_and_rows_that_stay_are_not_read_again(
    tmp_path: Path,
) -> None:
    """A letter is not in the search's index: its rows come with the key and its count
    (made in a thread) follows, right; a key that leaves the rows as they were leaves
    the table's rows alone."""
    settings = make_settings(tmp_path, interval=3600)
    _history(settings.data_dir)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened_history(pilot, app)
        total = N + RECORDED
        expected = screen.view.count("o")
        assert PAGE < expected <= total and screen.view.quick_count("o") is None
        await pilot.press("o")
        await until(pilot, lambda: screen.needle == "o" and not screen.counting, "counted")
        assert screen.found == expected
        assert f"{expected:,} of {total:,}" in screen_text(app)
        assert screen.shown == screen.view.page("o", "added", True, 0, PAGE)
        for _ in "o":
            await pilot.press("backspace")
        await pilot.press(*"file-0")
        await until(pilot, lambda: screen.needle == "file-0", "typed")
        table = screen.query_one(HistoryTable)
        rows = list(table.rows)
        await pilot.press("space", "i")  # every file-0… holds an i: the same rows
        await until(pilot, lambda: screen.needle == "file-0 i", "typed")
        assert list(table.rows) == rows and screen.found == N - 1
        assert f"{N - 1:,} of {total:,}" in screen_text(app)
        await pilot.press("space", *"-033")  # file-0330 to 0336: read again
        await until(pilot, lambda: screen.needle == "file-0 i -033", "typed")
        assert list(table.rows) != rows and 0 < len(screen.shown) == screen.found < PAGE
        assert screen.shown == screen.view.page("file-0 i -033", "added", True, 0, PAGE)


async def test_a_rare_short_word_shows_the_newest_matches_then_the_page_read_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words of one or two characters found on few of the newest records: those are
    shown with the key (or "searching"), the page and its count follow from a thread,
    below the rows shown and the cursor where it was; nothing is read meanwhile."""
    monkeypatch.setattr(history_search, "NEAR_ROWS", PAGE)  # the newest 100 looked at first
    released = threading.Event()
    aside = FileView.search_aside

    def held(view: FileView, *args: Any) -> tuple[list[Record], int]:
        released.wait(10)
        return aside(view, *args)

    monkeypatch.setattr(FileView, "search_aside", held)
    settings = make_settings(tmp_path, interval=3600)
    _history(settings.data_dir)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened_history(pilot, app)
        total = N + RECORDED
        page = screen.view.page("7", "added", True, 0, PAGE)
        await pilot.press("7")
        await until(pilot, lambda: screen.needle == "7" and screen.searching, "typed")
        first = list(screen.shown)
        assert 0 < len(first) < len(page) and first == page[: len(first)]
        assert f"{len(first)}+ of {total:,}" in screen_text(app)
        table = screen.query_one(HistoryTable)
        table.move_cursor(row=len(first) - 1)  # near the end of the rows: not read on
        await pilot.pause()
        assert screen.shown == first and screen.searching
        released.set()
        await until(pilot, lambda: not screen.searching, "the page read aside")
        assert screen.shown == page and table.cursor_row == len(first) - 1
        assert screen.found == screen.view.count("7") and not screen.counting
        assert f"{screen.found:,} of {total:,}" in screen_text(app)
        released.clear()
        await pilot.press("backspace", "z", "q")  # the oldest record only: none of the newest
        await until(pilot, lambda: screen.needle == "zq" and screen.searching, "typed")
        assert screen.shown == [] and "searching older records…" in screen_text(app)
        assert "0+ of" in screen_text(app)
        released.set()
        await until(pilot, lambda: not screen.searching, "the page read aside")
        assert [r.gid for r in screen.shown] == [f"{0:016x}"] and screen.found == 1
        assert f"1 of {total:,}" in screen_text(app)
