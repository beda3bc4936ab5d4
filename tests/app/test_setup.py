"""F2: the table's columns, sort, view and theme, applied at once and saved in the
config file with the user's comments kept."""

from __future__ import annotations

import dataclasses
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.config.table_setup import TableSetup
from aria2_top.config.writer import save_setup
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.columns import DEFAULT_LAYOUT, checked_layout, columns_for_width
from aria2_top.model.query import View
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from aria2_top.ui.screens.setup import ColumnList, SetupScreen, column_order
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import make_settings, notices, recorded_app, screen_text, until
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
    app = Aria2TopApp(Endpoint(daemon.url, daemon.secret, "d"), settings)
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
    app = Aria2TopApp(Endpoint(daemon.url, daemon.secret, "d"), again)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await until(pilot, lambda: "Folder" in _header(app), "the saved columns")
        assert "Ratio" not in _header(app)


async def test_sort_view_and_theme_from_setup(tmp_path: Path) -> None:
    """Tab to the other settings; the Selects are driven by keys too."""
    settings = make_settings(tmp_path, interval=3600)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "recorded rows")
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press("tab", "enter")  # the sort: open its list
        order = [c for c in screen._sort_options()]
        await pilot.press(*["down"] * [k for _, k in order].index("size"), "enter")
        await until(pilot, lambda: app.dashboard.sort_column == "size", "sorted by size")
        await pilot.press("tab", "space")  # reverse
        await until(pilot, lambda: app.dashboard.sort_reverse, "reversed")
        await pilot.press("tab", "enter", "down", "down", "enter")  # view: Waiting
        await until(pilot, lambda: app.dashboard.view is View.WAITING, "the waiting view")
        themes = screen.themes
        steps = themes.index("textual-light") - themes.index(app.theme)
        await pilot.press("tab", "enter", *(["down"] * steps if steps > 0 else ["up"] * -steps))
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "textual-light", "the light theme, at once")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SetupScreen), "closed")
    saved = _settings_from(settings.config_path)
    assert saved.theme == "textual-light"
    assert (saved.table.sort, saved.table.reverse, saved.table.view) == (
        "size",
        True,
        View.WAITING,
    )
    assert stat.S_IMODE(settings.config_path.stat().st_mode) == 0o600, "a new file: 0600"


async def test_a_saved_theme_is_used_and_an_unknown_one_said(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "no-such-theme"\n[table]\nview = "Done"\nsort = "nope"\n')
    settings = _settings_from(config)
    assert settings.table.view is View.DONE
    assert settings.warnings == (f"[table] sort in {config}: no column 'nope'",)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "no theme named 'no-such-theme'" in screen_text(app), "said")
        assert app.dashboard.view is View.DONE
        assert app.is_running


def test_the_config_writer_keeps_comments_and_refuses_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_setup(path, TableSetup(columns=("name", "added")), "nord")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(path.read_text())["theme"] == "nord"
    path.write_text("# mine\n[table]\ncolumns = [\n")  # broken: left as it is
    with pytest.raises(Exception, match="not valid TOML"):
        save_setup(path, TableSetup(), "nord")
    assert path.read_text() == "# mine\n[table]\ncolumns = [\n"


def test_a_symlinked_config_is_saved_through_the_link(tmp_path: Path) -> None:
    """Dotfiles kept elsewhere: the target is written (its mode kept), the link stays."""
    target = tmp_path / "dotfiles" / "aria2-top.toml"
    target.parent.mkdir()
    target.write_text("# kept in git\ninterval = 2\n")
    target.chmod(0o640)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    save_setup(link, TableSetup(columns=("name", "added")), "nord")
    assert link.is_symlink() and link.resolve() == target
    text = target.read_text()
    assert text.startswith("# kept in git") and "theme" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_layouts_from_a_config_are_made_usable() -> None:
    assert checked_layout(["size", "bogus", "size"]) == (("size", "name"), ["bogus"])
    assert checked_layout([]) == (("name",), [])
    keys = [c.key for c in columns_for_width(300, layout=("size", "name", "error"))]
    assert keys == ["size", "name", "error"], "the user's order; the error in every view"
    narrow = [c.key for c in columns_for_width(45, layout=("name", "added", "size", "gid"))]
    assert narrow == ["name", "added", "size"], "own columns: what does not fit goes right"
    errors = [c.key for c in columns_for_width(300, view=View.ERRORS, layout=DEFAULT_LAYOUT)]
    assert errors.index("error") == errors.index("status") + 1, "the Errors view adds it"
    assert column_order(TableSetup(columns=("size", "name")))[:3] == ["size", "name", "pos"]


def test_every_column_has_a_cell_for_odd_downloads() -> None:
    from aria2_top.model.columns import COLUMNS, row_texts
    from aria2_top.model.downloads import NameInfo, parse_download

    hostile = {"gid": "1", "status": "active", "dir": "/x\x1b[31m", "numPieces": "x"}
    download = parse_download(hostile, NameInfo("n"))
    texts = row_texts(download)
    assert len(texts) == len(COLUMNS)
    assert all("\x1b" not in text for text in texts)


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
    app = Aria2TopApp(Endpoint(daemon.url, daemon.secret, "d"), settings)
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


def test_limit_lookup_asks_what_is_due_bounded_and_survives_nonsense() -> None:
    from aria2_top.live.limit_lookup import MAX_PER_TICK, LimitLookup
    from aria2_top.rpc.errors import Aria2RpcError

    lookup = LimitLookup()
    present = [(f"{n:016x}", "waiting") for n in range(MAX_PER_TICK + 5)]
    assert lookup.due(present, 0.0, 10.0) == [], "nothing while no column shows them"
    lookup.wanted = True
    due = lookup.due([*present, ("f" * 16, "complete")], 0.0, 10.0)
    assert len(due) == MAX_PER_TICK and "f" * 16 not in due, "bounded; results have none"
    replies: list[object] = [{"max-download-limit": "1024", "max-upload-limit": "x"}]
    replies += [["not", "a", "struct"], Aria2RpcError(1, "gone")]
    replies += [{"max-download-limit": "0"}] * (len(due) - 3)
    changed = lookup.take(due, dict(present), replies, 0.0)
    assert lookup.of(due[0]) == (1024, None), "an unusable value shows as ?"
    assert lookup.of(due[1]) is None and lookup.of(due[2]) is None, "asked again"
    assert due[0] in changed and due[1] not in changed
    again = lookup.due(present, 1.0, 10.0)
    assert due[1] in again and due[2] in again and due[0] not in again
    assert due[0] in lookup.due([(due[0], "active")], 1.0, 10.0), "a new status: asked"
    assert due[0] in lookup.due([(due[0], "waiting")], 11.0, 10.0), "after the resync"


async def test_a_theme_chosen_in_the_palette_is_saved_on_quitting(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\ntheme = "no-such-theme"\n')
    settings = _settings_from(config)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "recorded rows")
    assert config.read_text() == '# mine\ntheme = "no-such-theme"\n', "unchanged: not saved"
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "recorded rows")
        await pilot.press("ctrl+p", *"theme")
        await until(pilot, lambda: "Change the current theme" in screen_text(app), "the palette")
        await pilot.press("enter")
        await until(pilot, lambda: "nord" in screen_text(app), "the themes")
        await pilot.press(*"nord", "enter")
        await until(pilot, lambda: app.theme == "nord", "nord, from the palette")
    assert _settings_from(config).theme == "nord"
    assert config.read_text().startswith("# mine\n")
