"""``u`` on a real aria2c: a dead link replaced on a paused partial download keeps its
bytes (changeUri); a failed download retried from a new URI goes on in the same
file; the same replacement on tagged downloads; ``Ctrl+E`` hands the text to
``$EDITOR`` (a script here) and takes it back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.uris_dialog import ReplaceUrisDialog, UrisDialog
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, focus, notices, screen_text, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)
MIB = 1 << 20

# An "editor": replaces its first argument with its second in the file it is given.
EDITOR = """
import sys
path = sys.argv[-1]
text = open(path).read()
open(path, "w").write(text.replace(sys.argv[1], sys.argv[2]))
"""


def use_editor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script} {old} {new}")


async def _uris(client: TestClient, gid: str) -> list[str]:
    return sorted({entry["uri"] for entry in await client.get_uris(gid)})


async def _all_gids(client: TestClient) -> set[str]:
    lists = [
        await client.tell_active(["gid"]),
        await client.tell_waiting(0, 100, ["gid"]),
        await client.tell_stopped(0, 100, ["gid"]),
    ]
    return {entry["gid"] for found in lists for entry in found}


async def _done(client: TestClient, gid: str) -> int:
    return int((await client.tell_status(gid, ["completedLength"]))["completedLength"])


async def test_a_dead_link_replaced_on_a_paused_partial_download_keeps_its_bytes(
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dead = files.make_file("old-host/part.bin", MIB)
    files.make_file("new-host/part.bin", MIB)
    gid = await client.add_uri([dead], {"max-download-limit": SLOW})
    await wait_until(lambda: _done(client, gid), lambda n: n > 0, what="some bytes")
    await client.force_pause(gid)
    await wait_for_status(client, gid, {"paused"})
    had = await _done(client, gid)
    use_editor(monkeypatch, tmp_path, "old-host", "new-host")
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        focus(app, gid)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, UrisDialog), "the URIs dialog")
        assert "old-host/part.bin" in app.screen.query_one(TextArea).text
        assert "aria2 holds 1 URI(s)" in screen_text(app)
        await pilot.press("ctrl+e")
        assert "new-host/part.bin" in app.screen.query_one(TextArea).text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "1 URI(s) added, 1 removed" in screen_text(app), "applied")
        assert "new-host/part.bin" in app.screen.query_one(TextArea).text
        await pilot.press("escape")
    assert await _uris(client, gid) == [files.url("new-host/part.bin")]
    assert await _done(client, gid) >= had > 0
    status = await client.tell_status(gid, ["status", "gid"])
    assert status["status"] == "paused"
    await client.change_option(gid, {"max-download-limit": "0"})
    await client.unpause(gid)
    await wait_for_status(client, gid, {"complete"})
    (entry,) = await client.get_files(gid)
    assert Path(entry["path"]).stat().st_size == MIB


async def test_a_failed_download_retried_from_a_new_uri_goes_on_in_the_same_file(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    served = files.make_file("moving/data.bin", MIB)
    gid = await client.add_uri([served], {"max-download-limit": SLOW, "max-tries": "1"})
    await wait_until(lambda: _done(client, gid), lambda n: n > 0, what="some bytes")
    (files.root / "moving").rename(files.root / "moved")  # the link dies
    await client.force_pause(gid)
    await wait_for_status(client, gid, {"paused"})
    await client.unpause(gid)
    await wait_for_status(client, gid, {"error"})
    (entry,) = await client.get_files(gid)
    path = Path(entry["path"])
    had = path.stat().st_size
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        focus(app, gid)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, UrisDialog), "the URIs dialog")
        text = screen_text(app)
        assert "# dead:" in text and "Ctrl+S adds it again" in text
        area = app.screen.query_one(TextArea)
        await pilot.click(area)
        await pilot.press("down", *files.url("moved/data.bin"))  # the empty last line
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "added data.bin again" in screen_text(app), "retried")
        await pilot.press("escape")
        new = await wait_until(
            lambda: _all_gids(client),
            lambda found: bool(found - {gid}),
            what="the retried download",
        )
    (new_gid,) = new - {gid}
    assert gid not in new, "the failed result is cleared once the new one is in"
    assert files.url("moved/data.bin") in await _uris(client, new_gid)
    (again,) = await client.get_files(new_gid)
    assert Path(again["path"]) == path, "the same file name in the same folder"
    await client.change_option(new_gid, {"max-download-limit": "0"})
    await wait_for_status(client, new_gid, {"complete"})
    assert path.stat().st_size == MIB and had > 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["data.bin"]


async def test_the_same_replacement_on_tagged_downloads(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gids = [
        await client.add_uri([files.url(f"old/{name}")], {"pause": "true"})
        for name in ("one.bin", "two.bin")
    ]
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        await pilot.press("ctrl+a", "u")
        await until(pilot, lambda: isinstance(app.screen, ReplaceUrisDialog), "the dialog")
        await pilot.press(*"/old/", "tab", *"/new/")
        assert app.screen.query_one("#uris-new", Input).value == "/new/"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "changed 2" in screen_text(app), "both changed")
    for gid, name in zip(gids, ("one.bin", "two.bin"), strict=True):
        assert await _uris(client, gid) == [files.url(f"new/{name}")]


async def test_u_is_declined_in_words_where_there_is_nothing_to_edit(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("uris-whole.bin", 4096)])
    await wait_for_status(client, gid, {"complete"})
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("u")
        await until(pilot, lambda: "it is complete, nothing to fetch" in notices(app), "said")
        assert not isinstance(app.screen, UrisDialog)


async def test_ctrl_e_in_the_add_dialog_edits_in_the_editor(
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = files.make_file("edited.bin", 4096)
    use_editor(monkeypatch, tmp_path, "PLACEHOLDER", url)
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "the Add dialog")
        await pilot.press(*"PLACEHOLDER", "ctrl+e")
        assert app.screen.query_one(TextArea).text == url
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AddDialog), "added")
        monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "the Add dialog")
        await pilot.press(*"kept", "ctrl+e")
        await until(pilot, lambda: "no editor" in screen_text(app), "no editor, said")
        assert app.screen.query_one(TextArea).text == "kept"
    (added,) = await client.tell_stopped(0, 10, ["files"])
    assert added["files"][0]["uris"][0]["uri"] == url
