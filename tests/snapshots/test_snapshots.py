"""How the screens look, on recorded real responses (deterministic)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.widgets.details.options import OptionsTab
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import app_for, focus, make_settings, recorded_app, screen_text, until

SIZES = [(120, 35), (80, 24)]


def _app(tmp_path: Path, theme: str | None = None) -> Aria2TopApp:
    """The app on recorded replies, polling once: the screen cannot depend on timing
    (the speed history would otherwise grow by one sample per tick)."""
    settings = dataclasses.replace(make_settings(tmp_path, interval=3600), theme=theme)
    return recorded_app(settings)


async def _loaded(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    await until(pilot, lambda: len(app.dashboard.shown) == 11, "recorded rows")
    # ...and drawn: a dialog opened before the table was painted once would lie over
    # an empty screen (seen once under load).
    await until(pilot, lambda: "release-notes.pdf" in screen_text(app), "the rows drawn")


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_loaded)


def test_setup_screen(snap_compare: Any, tmp_path: Path) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("f2")

    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), run_before=setup)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_tagged_and_filtered(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("space", "space", "backslash", *"iso", "enter")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("f1")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_remove(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("space", "space", "f9")
        app = pilot.app
        assert isinstance(app, Aria2TopApp)
        await until(pilot, lambda: "looking at the files" not in screen_text(app), "the files")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


async def _open_torrent_details(pilot: Pilot[None], *keys: str) -> None:
    await _loaded(pilot)
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    torrent = next(d for d in app.dashboard.shown if d.name == "Symphony No. 9")
    focus(app, torrent.gid)
    await pilot.press("enter", *keys)
    details = app.dashboard.details
    await until(pilot, lambda: details.shown == (details.tab, torrent.gid), "the tab's data")
    table = details.query_one("#options-table", DataTable)
    if details.tab.value == "options":  # the table sizes its columns when it is idle
        await until(
            pilot,
            lambda: all(c.content_width > len(str(c.label)) for c in table.columns.values()),
            "the options table's column widths",
        )


@pytest.mark.parametrize(
    ("tab", "keys"),
    [
        ("overview", ("1",)),
        ("files", ("2", "down", "down", "space")),
        ("peers", ("3",)),
        ("servers", ("4",)),
        ("pieces", ("5",)),
        ("options", ("6",)),
        ("speed", ("7",)),
    ],
)
def test_details_tabs(snap_compare: Any, tmp_path: Path, tab: str, keys: tuple[str, ...]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _open_torrent_details(pilot, *keys)

    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=setup)


def test_add_dialog_with_problems(snap_compare: Any, tmp_path: Path) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("a")
        dialog = pilot.app.screen
        dialog.query_one("TextArea").insert(  # type: ignore[attr-defined]
            "https://example.org/big.iso https://mirror.example.net/big.iso\n"
            "gopher://old.example/file\n"
            "  out=renamed.iso\n"
            "magnet:?xt=urn:btih:" + "ab" * 20 + "\n"
        )
        await pilot.press("ctrl+s")  # the lines are checked at once, before any RPC

    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=setup)


@pytest.mark.parametrize("key", ["L", "O"])
def test_limits_and_global_options(snap_compare: Any, tmp_path: Path, key: str) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press(key)
        if key == "O":  # the options are read in a worker
            screen = pilot.app.screen
            await until(pilot, lambda: screen.query_one(OptionsTab).loaded, "global options")

    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=setup)


@pytest.mark.parametrize("size", SIZES)
def test_errors_view(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("6")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


@pytest.mark.parametrize("size", SIZES)
def test_options_tab_with_a_filter_typed(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _open_torrent_details(pilot, "6")
        await pilot.press(*"limit", "down")

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=setup)


def test_add_dialog_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("a")
        pilot.app.screen.query_one("TextArea").insert(  # type: ignore[attr-defined]
            "https://example.org/big.iso\ngopher://old.example/file\n"
        )
        await pilot.press("ctrl+s")

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=setup)


def test_main_screen_in_a_light_theme(snap_compare: Any, tmp_path: Path) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        pilot.app.theme = "textual-light"
        await pilot.press("space", "j", "enter")

    assert snap_compare(_app(tmp_path), terminal_size=(120, 35), run_before=setup)


FLEET_ADDRESSES = {"nas": "https://nas.lan:6800/jsonrpc", "seedbox": "http://seedbox:6800/jsonrpc"}


@pytest.fixture
def fleet_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aria2TopApp]:
    """Three fake daemons in one view (the same GIDs on each, as fakes share a seed):
    nas and seedbox answer, laptop refuses the secret. Their ports vary: the daemons
    screen is shown fixed addresses instead."""
    with (
        FakeDaemon(secret="s") as nas,
        FakeDaemon(secret="s") as seedbox,
        FakeDaemon(secret="other") as laptop,
    ):
        nas.add("photos-2026.tar", "active", total=24 << 20, completed=9 << 20, down_speed=204800)
        nas.add("backup-weekly.img", "paused", total=8 << 30, completed=1 << 30)
        seedbox.add("debian-13.2.0-amd64-DVD-1.iso", "active", total=4 << 30, completed=3 << 30)
        seedbox.add("linuxmint-22.2-cinnamon.iso", "waiting", total=3 << 30, completed=0)
        seedbox.add("slides.pdf", "complete", total=40_000, completed=40_000)
        ports = {nas.url: "nas", seedbox.url: "seedbox", laptop.url: "laptop"}
        monkeypatch.setattr(
            "aria2_top.ui.dashboard.daemon_commands.redact_url",
            lambda url: FLEET_ADDRESSES.get(ports[url], "http://laptop:6800/jsonrpc"),
        )
        endpoints = [Endpoint(f.url, "s", ports[f.url]) for f in (nas, seedbox, laptop)]
        settings = make_settings(tmp_path, interval=3600)
        yield app_for(endpoints, settings=settings, listen=False)


async def _fleet_loaded(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    await until(pilot, lambda: len(app.dashboard.shown) == 5, "the rows of nas and seedbox")
    await until(pilot, lambda: "✖ laptop secret?" in screen_text(app), "laptop's state")
    await pilot.press("g")  # the daemons answer in any order: the cursor on the first row


@pytest.mark.parametrize("size", SIZES)
def test_fleet_main_screen(
    snap_compare: Any, fleet_app: Aria2TopApp, size: tuple[int, int]
) -> None:
    assert snap_compare(fleet_app, terminal_size=size, run_before=_fleet_loaded)


def test_fleet_daemons_screen(snap_compare: Any, fleet_app: Aria2TopApp) -> None:
    async def setup(pilot: Pilot[None]) -> None:
        await _fleet_loaded(pilot)
        await pilot.press("D")
        await until(pilot, lambda: "wrong secret" in screen_text(fleet_app), "daemons screen")

    assert snap_compare(fleet_app, terminal_size=(120, 35), run_before=setup)
