"""The details pane against real daemons: Enter, the tab keys, and what aria2 did."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Status
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.pane import DetailsPane
from tests.conftest import SLOW, Swarm
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.ui import (
    app_for,
    burst,
    focus,
    notices,
    running_app,
    screen_text,
    table,
    until,
)
from tests.support.waiting import wait_for_status, wait_until

SIZE = (140, 45)


async def test_enter_opens_overview_and_esc_closes(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    failed = await client.add_uri([files.url("absent.iso")])
    await wait_for_status(client, failed, {"error"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1) as (app, pilot):
        await pilot.press("enter")
        assert app.dashboard.details_open
        await until(pilot, lambda: "3 (resource not found)" in screen_text(app), "error in words")
        text = screen_text(app)
        assert "absent.iso" in text and "Directory" in text
        assert "ubuntu" not in text
        await pilot.press("escape")
        assert not app.dashboard.details.has_class("-open")
        assert app.focused is table(app)


async def test_file_selection_on_a_multi_file_torrent(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    torrent = make_torrent(
        tmp_path / "src", {"docs/a.txt": 1000, "docs/b.txt": 2000, "video/c.mkv": 5000, "d.nfo": 10}
    )
    gid = await client.add_torrent(torrent, options={"pause": True})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("enter", "2")
        files_tab = app.dashboard.details.query_one(FilesTab)
        await until(pilot, lambda: len(files_tab.entries) == 4, "four files")
        await until(pilot, lambda: "4 of 4 files selected" in screen_text(app), "status line")
        assert app.focused is files_tab.file_tree
        text = screen_text(app)
        assert "docs/" in text and "video/" in text and "d.nfo" in text
        # The tree: bundle/ (expanded) > docs/, video/, d.nfo. Go to docs/ and unselect it.
        await pilot.press("down")
        assert files_tab.file_tree.cursor_node is not None
        assert files_tab.file_tree.cursor_node.data is not None
        assert files_tab.file_tree.cursor_node.data.name == "docs"
        await pilot.press("space")
        assert "2 of 4 files selected" in screen_text(app)
        # As htop's tag: on to the next row at the same level, past docs/'s files
        after = files_tab.file_tree.cursor_node
        assert after is not None and after.data is not None and after.data.name == "video"
        assert "A applies" in screen_text(app)
        await pilot.press("A")

        async def selected() -> list[str]:
            return [f["selected"] for f in await client.get_files(gid)]

        paths = [Path(f["path"]).name for f in await client.get_files(gid)]
        want = ["false" if name in ("a.txt", "b.txt") else "true" for name in paths]
        await wait_until(selected, lambda s: s == want, what="select-file applied")
        kept = [str(i) for i, name in enumerate(paths, 1) if name not in ("a.txt", "b.txt")]
        assert (await client.get_option(gid))["select-file"] == ",".join(kept)
        await until(pilot, lambda: "2 of 4 files selected" in screen_text(app), "read back")
        await until(pilot, lambda: "aria2 restarts the download" in screen_text(app), "notice")


async def test_peers_pieces_and_magnet_chain_of_a_real_swarm(
    swarm: Swarm, tmp_path: Path, tracker: object
) -> None:
    from tests.support.tracker import Tracker

    assert isinstance(tracker, Tracker)
    async with TestClient(swarm.leecher.url, swarm.leecher.secret) as rpc:
        gid = await rpc.add_torrent(swarm.torrent, options={"max-download-limit": SLOW})
        await wait_until(lambda: rpc.get_peers(gid), bool, what="a peer", timeout=40)
        app = app_for(swarm.leecher, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "one row")
            await pilot.press("enter", "3")
            await until(pilot, lambda: "aria2 1.37.0" in screen_text(app), "peer client")
            assert "127.0.0.1:" in screen_text(app)
            await pilot.press("5")
            await until(pilot, lambda: "of 53 pieces of 16.0K" in screen_text(app), "pieces")
            await pilot.press("1")
            await until(pilot, lambda: "Tracker tier 1" in screen_text(app), "overview")
            text = screen_text(app)
            assert "made by the aria2-top test suite" in text and "magnet:?xt=urn:btih:" in text


async def test_magnet_follow_up_chain(swarm: Swarm, tmp_path: Path, tracker: object) -> None:
    from tests.support.tracker import Tracker

    assert isinstance(tracker, Tracker)
    async with TestClient(swarm.seeder.url, swarm.seeder.secret) as rpc:
        (seeding,) = await rpc.tell_active(["infoHash"])
    magnet = f"magnet:?xt=urn:btih:{seeding['infoHash']}&tr={tracker.url}"
    async with TestClient(swarm.leecher.url, swarm.leecher.secret) as rpc:
        meta = await rpc.add_uri([magnet], {"max-download-limit": SLOW})
        status = await wait_until(
            lambda: rpc.tell_status(meta, ["followedBy"]),
            lambda s: bool(s.get("followedBy")),
            what="metadata to arrive",
            timeout=40,
        )
        real = status["followedBy"][0]
        app = app_for(swarm.leecher, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
            focus(app, meta)
            await pilot.press("enter")
            await until(pilot, lambda: f"J: jump to {real}" in screen_text(app), "chain")
            await pilot.press("J")
            assert table(app).focused_gid == real
            await until(pilot, lambda: f"K: jump back to {meta}" in screen_text(app), "back link")
            await until(pilot, lambda: "swarm" in screen_text(app), "the real name")
            await pilot.press("K")
            assert table(app).focused_gid == meta


async def test_servers_and_speed_of_an_http_download(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("served.iso", 1 << 20)
    gid = await client.add_uri([url], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1) as (app, pilot):
        await pilot.press("enter", "4")
        await until(pilot, lambda: "Servers in use" in screen_text(app), "servers tab")
        await until(pilot, lambda: screen_text(app).count(url) >= 2, "current URI and URI list")
        assert "used" in screen_text(app)
        await pilot.press("7")
        await until(pilot, lambda: "↓ now" in screen_text(app), "speed history")
        await until(pilot, lambda: "peak" in screen_text(app), "peak speed")


async def test_options_edit_and_quick_limits(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("opt.iso", 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("enter", "6")
        await until(pilot, lambda: "allow-overwrite" in screen_text(app), "options")
        await pilot.press("tab", "d")  # from the filter to the list, where d is ↓ limit
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "limit dialog")
        await pilot.press("home", "ctrl+k")
        await burst(pilot, "12x")
        await pilot.press("enter")
        await until(pilot, lambda: "is not a size" in screen_text(app), "validation message")
        await pilot.press("backspace", "K", "enter")

        async def option(name: str) -> str:
            return (await client.get_option(gid))[name]

        await wait_until(
            lambda: option("max-download-limit"), lambda v: v == "12288", what="↓ limit"
        )
        await until(pilot, lambda: "max-download-limit = 12.0K/s" in notices(app), "read back")
        await pilot.press("u", "home", "ctrl+k")
        await burst(pilot, "2.5M")
        await pilot.press("enter")
        await wait_until(
            lambda: option("max-upload-limit"), lambda v: v == "2621440", what="↑ limit"
        )
        # The filter and the list as one fuzzy finder: type, ↓, Enter edits.
        await pilot.press("shift+tab")  # from the list back to the filter
        await burst(pilot, "split")
        await until(pilot, lambda: "max-download-limit" not in screen_text(app), "filtered")
        await pilot.press("enter")  # the first match: min-split-size
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "edit dialog")
        assert "min-split-size" in screen_text(app)
        await pilot.press("home", "ctrl+k", "3", "enter")  # aria2 refuses: below 1M
        await until(
            pilot, lambda: "problem while processing the option" in screen_text(app), "error"
        )
        # aria2 says OK to dry-run on an existing download but keeps it: the read-back tells.
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, "dry-run")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "edit dialog")
        await pilot.press("home", "ctrl+k")
        await burst(pilot, "true")
        await pilot.press("enter")
        await until(pilot, lambda: "aria2 did not take dry-run=true" in notices(app), "warning")
        assert await option("dry-run") == "false"
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, "max-peers")
        await pilot.press("down", "up", "enter")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "edit dialog")
        await pilot.press("home", "ctrl+k", *"20", "enter")
        await wait_until(lambda: option("bt-max-peers"), lambda v: v == "20", what="bt-max-peers")


async def test_details_follow_the_table_cursor(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    first = await client.add_uri([files.make_file("one.bin", 1 << 20)], {"pause": True})
    second = await client.add_uri([files.make_file("two.bin", 1 << 20)], {"pause": True})
    async with running_app(daemon, tmp_path, size=SIZE, rows=2) as (app, pilot):
        await pilot.press("enter")
        assert app.dashboard.details.gid == first
        app.dashboard.table.focus()
        await pilot.press("down")
        assert app.dashboard.details.gid == second
        await until(pilot, lambda: "two.bin" in screen_text(app).split("Overview")[-1], "second")
        assert app.dashboard.shown[1].status is Status.PAUSED
        assert isinstance(app.dashboard.details, DetailsPane)
