"""The Options tab and ``l`` with rows tagged, on a real aria2c: values the tagged
downloads do not share show as [mixed]; a change goes to each, is read back per
download, and is said."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from aria2_top.ui.widgets.details.options import OptionsTab
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, burst, notices, screen_text, until

SIZE = (140, 40)


async def _option(client: TestClient, gid: str, name: str) -> str:
    return (await client.get_option(gid))[name]


async def test_options_of_tagged_downloads_show_mixed_and_change_on_each(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gids = [
        await client.add_uri([files.url(f"group/{n}.bin")], {"pause": "true", "max-tries": tries})
        for n, tries in (("a", "3"), ("b", "5"), ("c", "3"))
    ]
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the rows")
        await pilot.press("space", "space", "enter", "6")
        await until(pilot, lambda: "Options of 2 tagged downloads" in screen_text(app), "title")
        await burst(pilot, "max-tries")
        await until(pilot, lambda: " [mixed] " in screen_text(app), "the mixed value")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "the value dialog")
        assert "they differ now" in screen_text(app)
        assert app.screen.query_one(Input).value == ""
        await pilot.press("7", "enter")
        await until(pilot, lambda: "max-tries = 7 set on 2" in notices(app), "said")
        tab = app.dashboard.details.query_one(OptionsTab)
        await until(pilot, lambda: tab.options.get("max-tries") == "7", "read back")
        # untagged: the pane is the download's own again
        await pilot.press("escape", "U", "enter", "6")
        await until(pilot, lambda: "Options of" not in screen_text(app), "one download")
    assert [await _option(client, gid, "max-tries") for gid in gids] == ["7", "7", "3"]


async def test_l_on_tagged_downloads_says_mixed_and_sets_each(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gids = [
        await client.add_uri(
            [files.url(f"limits/{n}.bin")], {"pause": "true", "max-download-limit": limit}
        )
        for n, limit in (("a", "100K"), ("b", "200K"))
    ]
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        await pilot.press("ctrl+a", "l")
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "the limits dialog")
        assert app.screen.query_one("#limit-down", Input).placeholder.startswith("[mixed]")
        await pilot.press(*"300K", "enter")
        await until(pilot, lambda: "set on 2" in notices(app), "said")
    assert [await _option(client, gid, "max-download-limit") for gid in gids] == ["307200"] * 2


EDITOR = """
import sys
path = sys.argv[-1]
text = open(path).read()
open(path, "w").write(text.replace(sys.argv[1], sys.argv[2]))
"""


async def test_ctrl_e_sets_what_was_changed_in_the_editor_on_each(
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gids = [
        await client.add_uri([files.url(f"editor/{n}.bin")], {"pause": "true", "max-tries": t})
        for n, t in (("a", "3"), ("b", "5"))
    ]
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script} max-tries=[mixed] max-tries=9")
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        await pilot.press("ctrl+a", "enter", "6")
        await until(pilot, lambda: "Options of 2 tagged downloads" in screen_text(app), "title")
        tab = app.dashboard.details.query_one(OptionsTab)
        await until(pilot, lambda: tab.options.get("max-tries") == "[mixed]", "mixed")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "max-tries = 9 set on 2" in notices(app), "said")
        await pilot.press("ctrl+e")  # nothing changed this time
        await until(pilot, lambda: "no option changed" in notices(app), "no change said")
    assert [await _option(client, gid, "max-tries") for gid in gids] == ["9", "9"]
