"""F2: the table's columns, sort, view and theme, applied at once and saved in the
config file with the user's comments kept."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.config.table_setup import TableSetup
from aria2_top.config.writer import save_setup
from aria2_top.model.columns import DEFAULT_LAYOUT, checked_layout, columns_for_width
from aria2_top.model.query import View
from aria2_top.ui.screens.setup import SetupScreen, column_order
from tests.support.ui import make_settings, notices, recorded_app, screen_text, until

SIZE = (120, 35)


def _settings_from(path: Path) -> Any:
    return resolve_settings(CliOptions(config_path=path), env={})


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


async def test_setup_shows_and_steps_the_width_the_table_gives(tmp_path: Path) -> None:
    """Ratio is declared 5 wide, but its header and the sort marker take 7: Setup says 7,
    `-` there says why it goes no narrower, `+` makes it 8 in the table and the file."""
    settings = make_settings(tmp_path, interval=3600)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "recorded rows")
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press(*["down"] * screen._order.index("ratio"))
        assert screen._highlighted() == "ratio"
        line = next(ln for ln in screen_text(app).splitlines() if " Ratio" in ln)
        assert "    7  " in line, line
        await pilot.press("minus")
        await until(pilot, lambda: "as narrow as its header allows" in notices(app), "why not")
        assert dict(screen.setup.widths).get("ratio") is None
        await pilot.press("plus")
        await until(pilot, lambda: dict(screen.setup.widths).get("ratio") == 8, "8 wide")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SetupScreen), "closed")
    assert dict(_settings_from(settings.config_path).table.widths)["ratio"] == 8
