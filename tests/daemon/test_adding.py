"""Adding downloads, limits and global options, driven by keys against a real aria2c."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from tests.support.files import FileServer
from tests.support.payloads import make_metalink, make_torrent
from tests.support.rpc import TestClient
from tests.support.ui import burst, running_app, screen_text, table, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 40)


async def _type_into_add(pilot: object, text: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app = pilot.app
    await pilot.press("a")
    await until(pilot, lambda: isinstance(app.screen, AddDialog), "add dialog")
    # TextArea.insert is what a paste does; typing each character is far slower.
    app.screen.query_one(TextArea).insert(text)


async def test_add_every_kind_of_line(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    main, mirror = (
        files.make_file("add-a.bin", 1 << 20),
        files.make_file("add-a-mirror.bin", 1 << 20),
    )
    torrent = tmp_path / "album.torrent"
    torrent.write_bytes(make_torrent(tmp_path / "t", {"x.flac": 5000, "y.flac": 7000}, "album"))
    meta4 = tmp_path / "disk.meta4"
    meta4.write_bytes(make_metalink("disk.img", files.make_file("disk.img", 4096), 4096))
    magnet = "magnet:?xt=urn:btih:" + "cd" * 20 + "&dn=wanted"
    text = (
        f"{main} {mirror}\n"
        f"{magnet}\n"
        f"{torrent}\n"
        f"{meta4}\n"
        "# comments and blank lines are skipped\n\n"
        f"{files.make_file('add-b.bin', 4096)}\n"
        "  out=renamed.bin\n"
        "  max-download-limit=10K\n"
    )
    async with running_app(daemon, tmp_path, size=SIZE, notifications=True) as (app, pilot):
        await _type_into_add(pilot, text)
        await pilot.click("#add-paused")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AddDialog), "dialog closed")
        waiting = await client.tell_waiting(0, 10, ["gid", "status", "files", "bittorrent"])
        assert len(waiting) == 5 and {d["status"] for d in waiting} == {"paused"}
        first, magnet_d, torrent_d, meta_d, renamed = waiting
        assert [u["uri"] for u in first["files"][0]["uris"]] == [main, mirror]
        assert magnet_d["files"][0]["uris"] == [] or "magnet" in str(magnet_d)
        assert torrent_d["bittorrent"]["info"]["name"] == "album"
        assert meta_d["files"][0]["path"].endswith("disk.img")
        options = await client.get_option(renamed["gid"])
        assert (options["out"], options["max-download-limit"]) == ("renamed.bin", "10240")
        await until(pilot, lambda: table(app).focused_gid == first["gid"], "first one focused")
        await until(pilot, lambda: "added 5 downloads" in screen_text(app), "notice")


async def test_bad_lines_add_nothing_and_keep_the_text(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.torrent"
    junk.write_bytes(b"<html>not a torrent</html>")
    text = (
        f"{files.make_file('ok.bin', 4096)}\n"
        "ftpx://example.org/file\n"
        f"{tmp_path / 'missing.torrent'}\n"
        f"{junk}\n"
        "  lonely=option\n"
        "magnet:?dn=no-hash\n"
    )
    async with running_app(daemon, tmp_path, size=SIZE) as (app, pilot):
        await _type_into_add(pilot, text)
        await pilot.press("ctrl+s")
        shown = screen_text(app)
        assert "line 2: unknown scheme 'ftpx'" in shown
        assert "line 3: no such file" in shown
        assert "line 4: junk.torrent is not a valid .torrent file" in shown
        assert "line 6: a magnet link needs an xt=urn:btih:" in shown
        assert isinstance(app.screen, AddDialog)
        assert app.screen.query_one(TextArea).text == text
        assert await client.tell_waiting(0, 10) == [] and await client.tell_active() == []


async def test_a_refused_item_rolls_the_others_back(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    text = (
        f"{files.make_file('roll-one.bin', 4096)}\n"
        f"{files.make_file('roll-two.bin', 4096)}\n"
        "  max-download-limit=fast\n"  # passes our check, aria2 refuses it
    )
    async with running_app(daemon, tmp_path, size=SIZE) as (app, pilot):
        await _type_into_add(pilot, text)
        await pilot.click("#add-paused")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "line 2: aria2 refused it" in screen_text(app), "refusal")
        assert "nothing was added" in screen_text(app)
        assert await client.tell_waiting(0, 10) == []


async def test_folder_file_name_and_top_of_queue(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    existing = await client.add_uri([files.make_file("old.bin", 4096)], {"pause": True})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1) as (app, pilot):
        await _type_into_add(pilot, files.make_file("new.bin", 4096))
        await pilot.click("#add-dir")
        await burst(pilot, str(tmp_path / "elsewhere"))
        await pilot.click("#add-out")
        await burst(pilot, "chosen.bin")
        await pilot.click("#add-paused")
        await pilot.click("#add-top")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AddDialog), "dialog closed")
    order = await client.tell_waiting(0, 10, ["gid"])
    assert order[1]["gid"] == existing
    options = await client.get_option(order[0]["gid"])
    assert (options["dir"], options["out"]) == (str(tmp_path / "elsewhere"), "chosen.bin")


async def test_global_limits_dialog_and_quick_keys(daemon: RunningDaemon, tmp_path: Path) -> None:
    async with TestClient(daemon.url, daemon.secret) as client:

        async def limits() -> tuple[str, str]:
            options = await client.get_global_option()
            return options["max-overall-download-limit"], options["max-overall-upload-limit"]

        async with running_app(daemon, tmp_path, size=SIZE) as (app, pilot):
            await pilot.press("L")
            await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "limits dialog")
            await pilot.press("home", "ctrl+k", *"500K", "tab", "home", "ctrl+k", *"1M", "enter")
            await wait_until(limits, lambda v: v == ("512000", "1048576"), what="limits set")
            await until(pilot, lambda: "[500.0K/s]" in screen_text(app), "limit in the stats bar")
            await pilot.press("minus")
            await wait_until(limits, lambda v: v[0] == "262144", what="one step down")
            await until(pilot, lambda: app.dashboard.snapshot.stat.down_limit == 262144, "polled")  # type: ignore[union-attr]
            await pilot.press("plus")
            await wait_until(limits, lambda v: v[0] == "524288", what="one step up")
            await until(pilot, lambda: app.dashboard.snapshot.stat.down_limit == 524288, "polled")  # type: ignore[union-attr]
            await pilot.press("L", "home", "ctrl+k", "tab", "home", "ctrl+k", "0", "enter")
            await wait_until(limits, lambda v: v == ("0", "0"), what="unlimited again")


async def test_download_limit_slows_a_real_download(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("big.iso", 64 << 20)], {"max-download-limit": "2M"})
    await wait_for_status(client, gid, {"active"})

    async def speed() -> int:
        return int((await client.tell_status(gid, ["downloadSpeed"]))["downloadSpeed"])

    await wait_until(speed, lambda s: s > 1_000_000, what="a fast start")
    async with running_app(daemon, tmp_path, size=SIZE, rows=1) as (app, pilot):
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "limits dialog")
        assert "2M" in screen_text(app)
        await pilot.press("home", "ctrl+k", *"40K", "enter")
        await wait_until(speed, lambda s: 0 < s < 60_000, what="the speed to drop", timeout=30)
        assert (await client.get_option(gid))["max-download-limit"] == "40960"


async def test_global_options_edit_with_read_back(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    async with running_app(daemon, tmp_path, size=SIZE, notifications=True) as (app, pilot):
        await pilot.press("O")
        await until(pilot, lambda: isinstance(app.screen, GlobalOptionsScreen), "options screen")
        await until(pilot, lambda: "allow-overwrite" in screen_text(app), "options listed")
        await burst(pilot, "max-concurrent")
        await pilot.press("tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "edit dialog")
        await pilot.press("home", "ctrl+k", "7", "enter")
        await wait_until(
            client.get_global_option,
            lambda o: o["max-concurrent-downloads"] == "7",
            what="max-concurrent-downloads",
        )
        await until(pilot, lambda: "max-concurrent-downloads = 7" in screen_text(app), "read back")
        # aria2 says OK to options it cannot change now, and keeps them:
        await pilot.press("shift+tab", "ctrl+a", "ctrl+k", *"dir", "tab")
        await until(pilot, lambda: "max-concurrent" not in screen_text(app), "filtered")
        assert isinstance(app.screen, GlobalOptionsScreen)
