"""Every screen at 80x24, 100x30, 120x35, 160x45 and 200x55 (on recorded replies).

test_snapshots.py holds each screen at one or two sizes already; this file holds
the others: every size for the screens whose layout follows the width (the table,
the view line, the help, the details pane, the history, the daemons, the setup), the
smallest and the largest for the dialogs sized to their content.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from aria2_top.storage.history_file import Record
from aria2_top.storage.history_search import MemoryView
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.debug_report import DebugInfo, InfoSection
from aria2_top.ui.widgets.details.options import OptionsTab
from tests.snapshots.test_snapshots import (
    _app,
    _fleet_loaded,
    _loaded,
    _open_torrent_details,
    fleet_app,
)
from tests.support.ui import screen_text, until

__all__ = ["fleet_app"]  # the fixture, for the daemons screen

SMALL, MEDIUM, LARGE, WIDE, HUGE = (80, 24), (100, 30), (120, 35), (160, 45), (200, 55)
EVERY = [SMALL, MEDIUM, LARGE, WIDE, HUGE]
ENDS = [SMALL, HUGE]


def _ids(sizes: list[tuple[int, int]]) -> list[Any]:
    return [pytest.param(size, id=f"{size[0]}x{size[1]}") for size in sizes]


async def _pressed(pilot: Pilot[None], *keys: str) -> None:
    await _loaded(pilot)
    await pilot.press(*keys)


@pytest.mark.parametrize("size", _ids([MEDIUM, WIDE, HUGE]))
def test_main_screen_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", _ids([MEDIUM, WIDE, HUGE]))
def test_tagged_and_filtered_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "space", "space", "backslash", *"iso", "enter")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", _ids([MEDIUM, WIDE, HUGE]))
def test_help_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "f1")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


def test_help_scrolled_to_its_end(snap_compare: Any, tmp_path: Path) -> None:
    """End reaches the last line, and the border no longer says there is more below."""

    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "f1", "end")
        dialog = pilot.app.screen.query_one("#dialog")
        await until(pilot, lambda: dialog.scroll_y == dialog.max_scroll_y > 0, "the end")
        await until(pilot, lambda: "more above" in str(dialog.border_subtitle), "the border")

    assert snap_compare(_app(tmp_path), terminal_size=SMALL, run_before=setup)


@pytest.mark.parametrize("size", _ids(EVERY))
def test_details_pane_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _open_torrent_details(pilot, "1")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


HOUR = 3600.0
NOON = 1_796_040_000.0  # 2026-11-30 12:00 UTC
UBUNTU = "https://releases.ubuntu.com/24.04/ubuntu-24.04-desktop-amd64.iso"
LIBRE = (
    "https://download.documentfoundation.org/libreoffice/stable/25.8/deb/x86_64/"
    "LibreOffice_25.8_Linux_x86-64_deb.tar.gz"
)
RECORDS = [
    Record("private daemon", "a1", "ubuntu-24.04-desktop-amd64.iso", "complete", 6 << 30,
           NOON, NOON, NOON + HOUR, "", UBUNTU, "/dl"),
    Record("private daemon", "a2", "nightly-build.tar.xz", "error", None, NOON + 2 * HOUR,
           NOON + 2 * HOUR, NOON + 2 * HOUR, "3 (resource not found): 404 Not Found",
           "https://ci.example.org/nightly/nightly-build.tar.xz", "/dl"),
    Record("private daemon", "a3", "Symphony No. 9", "seeding", 4 << 20, NOON + 3 * HOUR,
           NOON + 3 * HOUR, None, "", "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Symphony", "/dl"),
    Record("private daemon", "a4", "LibreOffice_25.8_Linux_x86-64_deb.tar.gz", "deleted",
           300 << 20, NOON + 4 * HOUR, NOON + 4 * HOUR, NOON + 5 * HOUR, "", LIBRE, "/dl",
           "files deleted"),
]  # fmt: skip


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times shown in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("utc")
@pytest.mark.parametrize("size", _ids(EVERY))
def test_history_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app = _app(tmp_path)

    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        fixed = MemoryView(lambda: RECORDS)  # the records as written, not stamped when seen
        app.download_history.browse = lambda: fixed  # type: ignore[method-assign]
        await pilot.press("7")
        await until(pilot, lambda: "4 of 4" in screen_text(app), "the records")

    assert snap_compare(app, terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", _ids([SMALL, MEDIUM, WIDE, HUGE]))
def test_daemons_at(snap_compare: Any, fleet_app: Aria2TopApp, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _fleet_loaded(pilot)
        await pilot.press("D")
        await until(pilot, lambda: "wrong secret" in screen_text(fleet_app), "daemons screen")

    assert snap_compare(fleet_app, terminal_size=size, run_before=setup)


def test_daemons_of_an_unnamed_daemon(snap_compare: Any, tmp_path: Path) -> None:
    """The private daemon of the recorded replies: its address said once."""

    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "D")
        app = pilot.app
        assert isinstance(app, Aria2TopApp)
        await until(pilot, lambda: "connected" in screen_text(app), "daemons screen")

    assert snap_compare(_app(tmp_path), terminal_size=SMALL, run_before=setup)


@pytest.mark.parametrize("size", _ids([SMALL, LARGE, WIDE, HUGE]))
def test_setup_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "f2")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", _ids(ENDS))
@pytest.mark.parametrize("key", ["a", "u", "l", "L"])
def test_dialog_at(snap_compare: Any, tmp_path: Path, key: str, size: tuple[int, int]) -> None:
    """The dialogs sized to their content, on the smallest and the largest screen."""

    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, key)
        await until(pilot, lambda: len(pilot.app.screen_stack) > 1, "the dialog")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


class _Clock:
    """The event log's clock, stopped at noon."""

    @staticmethod
    def time() -> float:
        return NOON


@pytest.mark.usefixtures("utc")
@pytest.mark.parametrize("size", _ids(ENDS))
def test_event_log_at(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aria2_top.model.events.time", _Clock)

    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "e")
        await until(pilot, lambda: len(pilot.app.screen_stack) > 1, "the event log")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", _ids(ENDS))
def test_global_options_at(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "O")
        screen = pilot.app.screen
        await until(pilot, lambda: screen.query_one(OptionsTab).loaded, "global options")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


def test_confirm_remove_at_200x55(snap_compare: Any, tmp_path: Path) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "space", "space", "f9")
        app = pilot.app
        assert isinstance(app, Aria2TopApp)
        await until(pilot, lambda: "looking at the files" not in screen_text(app), "the files")

    assert snap_compare(_app(tmp_path), terminal_size=HUGE, run_before=setup)


DEBUG_INFO = DebugInfo(
    (
        InfoSection(
            "aria2-top",
            (
                ("versions", "aria2-top 0.2.0 · Python 3.11.7 · Textual 8.2.8 · httpx 0.28.1"),
                ("config file", "/home/user/.config/aria2-top/config.toml"),
                ("history", "/home/user/.local/share/aria2-top/history.sqlite3 (11 known)"),
            ),
        ),
        InfoSection(
            "private daemon",
            (
                ("RPC URL", "http://127.0.0.1:6800/jsonrpc (secret: none)"),
                ("last poll", "reply in 1.2 ms, read in 0.3 ms; lists: fetch"),
            ),
        ),
    )
)


@pytest.mark.parametrize("size", _ids([SMALL, LARGE, HUGE]))
def test_debug_info_at(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixed words (the real ones hold this machine's paths, versions and timings)."""
    monkeypatch.setattr(
        "aria2_top.ui.dashboard.info_commands.collect_debug_info", lambda *a, **k: DEBUG_INFO
    )

    async def setup(pilot: Pilot[None]) -> None:
        await _pressed(pilot, "f12")
        app = pilot.app
        assert isinstance(app, Aria2TopApp)
        await until(pilot, lambda: "RPC URL" in screen_text(app), "debug info")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)
