"""htop's F7/F8 move a download in aria2's queue as [ and ] do; Ctrl+O opens a
download's folder with the configured file manager (never on a daemon whose files
are elsewhere; a folder not there yet is said)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, focus, make_settings, notices, running_app, table, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)


async def test_f7_and_f8_move_the_download_in_the_queue(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    a, b, c = [
        await client.add_uri(
            [files.make_file(name, 1 << 20)], {"pause": True, "max-download-limit": SLOW}
        )
        for name in ("f7-a.bin", "f7-b.bin", "f7-c.bin")
    ]

    async def order() -> list[str]:
        return [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]

    assert await order() == [a, b, c]
    async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (app, pilot):
        focus(app, c)
        await pilot.press("f7")
        await wait_until(order, lambda o: o == [a, c, b], what="c moved up by F7")
        await until(pilot, lambda: table(app).order == [a, c, b], "table reordered")
        assert table(app).focused_gid == c
        focus(app, a)
        await pilot.press("f8")
        await wait_until(order, lambda o: o == [c, a, b], what="a moved down by F8")


def _recorder(tmp_path: Path) -> tuple[Path, Path]:
    """A file manager that writes its arguments, one per line, to a file."""
    said = tmp_path / "file-manager.txt"
    script = tmp_path / "file manager.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{said}"\n')
    script.chmod(0o755)
    return script, said


async def test_ctrl_o_opens_the_download_folder_with_the_file_manager(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    downloads = Path(daemon.state_dir or "").parent / "downloads"
    done = await client.add_uri([files.make_file("co-done.bin", 4096)], {"out": "in/here/co.bin"})
    await wait_for_status(client, done, {"complete"})
    later = await client.add_uri(
        [files.make_file("co-later.bin", 4096)], {"pause": True, "out": "not-yet/co.bin"}
    )
    script, said = _recorder(tmp_path)
    settings = replace(make_settings(tmp_path), file_manager=(str(script), "--new-window"))
    app = app_for(daemon, label="local", settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        focus(app, done)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: "opening the folder" in notices(app), "opening")
        words = await wait_until(
            lambda: _lines(said), lambda w: len(w) == 2, what="the file manager to start"
        )
        assert words == ["--new-window", str(downloads / "in" / "here")]
        said.unlink()
        focus(app, later)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: "does not exist (yet)" in notices(app), "no folder yet")
        assert str(downloads / "not-yet") in notices(app)
    assert not said.exists()
    remote = app_for(Endpoint(daemon.url, daemon.secret, "nas", local=False), settings=settings)
    async with remote.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(remote.dashboard.shown) == 2, "the rows")
        await pilot.press("ctrl+o")
        await until(
            pilot, lambda: "only for a daemon on this machine" in notices(remote), "refused"
        )
    assert not said.exists()


async def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []
