"""F2 on the real daemon: columns chosen show at once, are saved and come back; limit
columns show each download's own limits."""

from __future__ import annotations

import dataclasses
import stat
import tomllib
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.config.table_setup import TableSetup
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from aria2_top.ui.screens.setup import ColumnList, SetupScreen
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, notices, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)


WIDE = (220, 35)


USERS_CONFIG = """\
# my aria2-top config: keep this comment
interval = 0.25   # fast, please
notify = false

[keymap]
pause = "z"  # z pauses
"""


def _settings_from(path: Path) -> Any:
    return resolve_settings(CliOptions(config_path=path), env={})


def _header(app: Aria2TopApp) -> str:
    return screen_text(app).splitlines()[2]


def _shown(app: Aria2TopApp) -> list[str]:
    """The table's columns (under the setup screen, which covers them)."""
    return [column.key for column in app.dashboard.table.shown_columns]


async def _highlight(pilot: Pilot[None], key: str) -> None:
    """Move the setup screen's cursor to column ``key`` with j / k, as a user does."""
    screen = pilot.app.screen
    assert isinstance(screen, SetupScreen)
    column_list = screen.query_one(ColumnList)
    assert column_list.highlighted is not None
    steps = screen._order.index(key) - column_list.highlighted
    await pilot.press(*(["j"] * steps if steps > 0 else ["k"] * -steps))
    assert screen._order[column_list.highlighted] == key


async def test_columns_chosen_in_setup_show_at_once_are_saved_and_come_back(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri(
        [files.make_file("setup.bin", 1 << 20)], {"max-download-limit": SLOW}
    )
    await wait_for_status(client, gid, {"active"})
    config = tmp_path / "config.toml"
    config.write_text(USERS_CONFIG)
    config.chmod(0o640)
    settings = _settings_from(config)
    app = app_for(daemon, label="d", settings=settings)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        assert "Folder" not in _header(app)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        await _highlight(pilot, "folder")
        await pilot.press("space", "plus", "plus")  # shown, 2 cells wider
        await until(pilot, lambda: "folder" in _shown(app), "the folder column, at once")
        await _highlight(pilot, "ratio")
        await pilot.press("space")  # hidden
        await _highlight(pilot, "folder")
        await pilot.press(*["left_square_bracket"] * 4)  # past 3 hidden ones, the GID
        await until(pilot, lambda: "ratio" not in _shown(app), "ratio gone")
        await until(pilot, lambda: _shown(app).index("folder") < _shown(app).index("gid"), "")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SetupScreen), "closed")
        header = _header(app)
        assert header.index("GID") > header.index("Folder") > header.index("Name")
        assert "Ratio" not in header
        folder = app.dashboard.shown[0].folder
        assert folder.startswith("/") and folder[:20] in screen_text(app), "aria2's dir shown"
        await until(pilot, lambda: "setup saved" in notices(app), "said where")

    text = config.read_text()
    assert text.startswith("# my aria2-top config: keep this comment\n")
    assert "interval = 0.25   # fast, please" in text and 'pause = "z"  # z pauses' in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o640, "the file keeps its mode"
    table = tomllib.loads(text)["table"]
    assert "ratio" not in table["columns"]
    assert table["columns"].index("folder") < table["columns"].index("gid")
    assert table["widths"] == {"folder": 26}

    again = _settings_from(config)
    assert again.warnings == ()
    assert again.table.columns == tuple(table["columns"])
    assert again.keymap == (("pause", "z"),), "the rest of the file still reads"
    app = app_for(daemon, label="d", settings=again)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await until(pilot, lambda: "Folder" in _header(app), "the saved columns")
        assert "Ratio" not in _header(app)


NAMES = ("lim.bin", "lim2.bin")


async def test_limit_columns_show_each_downloads_own_limits(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """aria2 tells them only by getOption: asked while the columns show, and again
    after l sets them."""
    running = await client.add_uri(
        [files.make_file("lim.bin", 1 << 20)], {"max-download-limit": SLOW}
    )
    queued = await client.add_uri(
        [files.make_file("lim2.bin", 1 << 20)], {"pause": "true", "max-upload-limit": "100K"}
    )
    await wait_for_status(client, running, {"active"})
    settings = dataclasses.replace(
        make_settings(tmp_path),
        table=TableSetup(columns=("pos", "name", "status", "down-limit", "up-limit")),
    )
    app = app_for(daemon, label="d", settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")

        def limits() -> dict[str, object]:
            return {d.gid: d.limits for d in app.dashboard.shown}

        await until(pilot, lambda: limits()[running] == (20 * 1024, 0), "the running one's")
        await until(pilot, lambda: limits()[queued] == (0, 100 * 1024), "the paused one's")
        await until(pilot, lambda: "20.0K" in screen_text(app), "drawn")
        lines = screen_text(app).splitlines()
        row = {name: next(line for line in lines if f" {name} " in line) for name in NAMES}
        assert row["lim.bin"].split()[-2:] == ["20.0K", "∞"]
        assert row["lim2.bin"].split()[-2:] == ["∞", "100.0K"]
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "limits dialog")
        await pilot.press("home", "ctrl+k", *"40K", "enter")
        await until(pilot, lambda: limits()[running] == (40 * 1024, 0), "the new limit, at once")
        app.dashboard.table_setup = TableSetup()
        app.dashboard.use_layout()  # no limit column: no getOption any more
        await until(pilot, lambda: limits()[running] is None, "limits no longer looked up")
