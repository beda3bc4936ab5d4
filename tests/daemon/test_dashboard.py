"""The dashboard driven by its keys against a real aria2c: press what a user
presses, then check what aria2c did and what the screen shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Download, Status
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2RpcError
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.help import HelpScreen
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import (
    app_for,
    focus,
    running_app,
    screen_text,
    shown_names,
    table,
    tagged_gids,
    until,
)
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)


async def _status(client: TestClient, gid: str) -> str:
    try:
        return str((await client.tell_status(gid, ["status"]))["status"])
    except Aria2RpcError:
        return "gone"


async def _add_paused(client: TestClient, files: FileServer, *names: str) -> list[str]:
    return [
        await client.add_uri(
            [files.make_file(name, 1 << 20)], {"pause": True, "max-download-limit": SLOW}
        )
        for name in names
    ]


async def test_table_shows_downloads_with_names_and_stats(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    active = await client.add_uri(
        [files.make_file("movie.mkv", 1 << 20)], {"max-download-limit": SLOW}
    )
    await _add_paused(client, files, "[bold red]x[-].iso")
    failed = await client.add_uri([files.url("gone.bin")])
    await wait_for_status(client, failed, {"error"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (app, pilot):
        await until(pilot, lambda: "connected" in screen_text(app), "connected in stats bar")
        assert shown_names(app) == ["movie.mkv", "[bold red]x[-].iso", "gone.bin"]
        text = screen_text(app)
        assert "[bold red]x[-].iso" in text  # shown literally, not read as markup
        assert app.dashboard.stats_bar.version == "1.37.0"  # shown when the bar has room for it
        assert daemon.url in text  # which daemon, before the version
        assert "error" in text and "paused" in text
        await until(pilot, lambda: (app.dashboard.shown[0].down_speed or 0) > 0, "a speed")
        assert (
            app.dashboard.shown[0].gid == active and app.dashboard.shown[0].status is Status.ACTIVE
        )


async def test_pages_past_a_thousand(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("many.bin", 1024)
    await client.multicall([RpcCall("aria2.addUri", [[url], {"pause": "true"}])] * 1203)
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: table(app).row_count == 1203, "1203 rows", timeout=40)
        positions = [d.queue_position for d in app.dashboard.shown]
        assert positions == list(range(1203))


async def test_p_toggles_pause_and_shift_p_all(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("p.bin", 1 << 20)], {"max-download-limit": SLOW})
    other = await client.add_uri([files.make_file("q.bin", 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=2, notifications=True) as (app, pilot):
        assert table(app).focused_gid == gid
        await pilot.press("p")
        await wait_for_status(client, gid, {"paused"})
        await until(pilot, lambda: app.dashboard.shown[-1].status is Status.PAUSED, "paused row")
        assert "paused" in screen_text(app)
        focus(app, gid)
        await pilot.press("p")
        await wait_for_status(client, gid, {"active", "waiting"})
        await pilot.press("P")
        await wait_for_status(client, gid, {"paused"})
        await wait_for_status(client, other, {"paused"})
        await until(
            pilot, lambda: all(d.status is Status.PAUSED for d in app.dashboard.shown), "all paused"
        )
        await pilot.press("P")
        await wait_for_status(client, other, {"active", "waiting"})


async def test_tagging_applies_to_all_tagged(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    a, b, c = await _add_paused(client, files, "a.bin", "b.bin", "c.bin")
    async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (app, pilot):
        await pilot.press("space")  # tags a, cursor moves to b
        await pilot.press("down")
        await pilot.press("space")  # tags c
        assert tagged_gids(app) == {a, c}
        assert "tagged: 2" in screen_text(app)
        assert "●" in screen_text(app)
        await pilot.press("p")
        for gid in (a, c):
            await wait_for_status(client, gid, {"waiting", "active"})
        assert await _status(client, b) == "paused"
        await pilot.press("U")
        assert tagged_gids(app) == set()
        assert "tagged" not in screen_text(app)


async def test_remove_asks_first_and_names_what_goes(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri(
        [files.make_file("keep-me.iso", 1 << 20)], {"max-download-limit": SLOW}
    )
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "confirm dialog")
        assert "keep-me.iso" in screen_text(app)
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, RemoveScreen), "dialog closed")
        assert await _status(client, gid) == "active"
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "confirm dialog")
        await pilot.press("y")
        await wait_for_status(client, gid, {"removed"})
        await until(
            pilot,
            lambda: [d.status for d in app.dashboard.shown][:1] == [Status.REMOVED],
            "removed row",
        )
        # Removing a stopped one removes its result.
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "confirm dialog")
        await pilot.press("y")
        await until(pilot, lambda: not app.dashboard.shown, "no rows")
        assert await _status(client, gid) == "gone"
    downloaded = Path(daemon.state_dir or "").parent / "downloads" / "keep-me.iso"
    assert downloaded.exists(), "files on disk are never deleted here"


async def test_move_keys_and_cursor_follows(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    a, b, c = await _add_paused(client, files, "a.bin", "b.bin", "c.bin")

    async def order() -> list[str]:
        return [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]

    async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (app, pilot):
        await pilot.press("G")
        assert table(app).focused_gid == c
        await pilot.press("left_square_bracket")
        await wait_until(order, lambda o: o == [a, c, b], what="c moved up")
        await until(pilot, lambda: table(app).order == [a, c, b], "table reordered")
        assert table(app).focused_gid == c
        await pilot.press("t")
        await wait_until(order, lambda o: o == [c, a, b], what="c on top")
        await until(pilot, lambda: table(app).order == [c, a, b], "table reordered")
        assert table(app).focused_gid == c and table(app).cursor_row == 0
        await pilot.press("b")
        await wait_until(order, lambda o: o == [a, b, c], what="c at the bottom")
        await until(
            pilot, lambda: table(app).focused_gid == c and table(app).cursor_row == 2, "cursor"
        )
        await pilot.press("g", "right_square_bracket")
        await wait_until(order, lambda o: o == [b, a, c], what="a moved down")
        await pilot.press("shift+home")
        await wait_until(order, lambda o: o == [a, b, c], what="a to top")
        await pilot.press("shift+end")
        await wait_until(order, lambda o: o == [b, c, a], what="a to bottom")


async def test_retry_readds_a_failed_download(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    failed = await client.add_uri([files.url("late.bin")], {"out": "late.bin"})
    await wait_for_status(client, failed, {"error"})
    files.make_file("late.bin", 4096)  # now the server has it
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "top or bottom?")
        assert "late.bin" in screen_text(app)
        await pilot.press("enter")  # at the bottom of the queue
        await until(pilot, lambda: any(d.gid != failed for d in app.dashboard.shown), "retried row")
        await wait_until(lambda: _status(client, failed), lambda s: s == "gone", what="result gone")
        retried = next(d.gid for d in app.dashboard.shown if d.gid != failed)
        await wait_for_status(client, retried, {"complete"})
        assert (await client.get_option(retried))["out"] == "late.bin"
        await until(pilot, lambda: table(app).focused_gid == retried, "cursor on the retry")


async def test_clear_finished_results(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    done = await client.add_uri([files.make_file("done.bin", 2048)])
    await wait_for_status(client, done, {"complete"})
    (waiting,) = await _add_paused(client, files, "stay.bin")
    async with running_app(daemon, tmp_path, size=SIZE, rows=2, notifications=True) as (app, pilot):
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "which results?")
        assert "Files on disk are kept" in screen_text(app)
        await pilot.press("enter")  # all of them (the view shows all)
        await until(
            pilot, lambda: [d.gid for d in app.dashboard.shown] == [waiting], "only the waiting one"
        )
        assert await client.tell_stopped(0, 10) == []


async def test_sort_keys_invert_and_header_click(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    for name in ("bravo.bin", "alpha.bin", "charlie.bin"):
        await client.add_uri([files.make_file(name, 1 << 20)], {"pause": True})
    async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (app, pilot):
        assert shown_names(app) == ["bravo.bin", "alpha.bin", "charlie.bin"]
        await pilot.press("greater_than_sign")  # from "#" to Name
        assert app.dashboard.sort_column == "name"
        assert shown_names(app) == ["alpha.bin", "bravo.bin", "charlie.bin"]
        assert "sort: Name ▲" in screen_text(app)
        await pilot.press("I")
        assert shown_names(app) == ["charlie.bin", "bravo.bin", "alpha.bin"]
        drawn = screen_text(app)  # what is drawn: the rows in the new order, the view line
        assert drawn.index("charlie.bin") < drawn.index("bravo.bin") < drawn.index("alpha.bin")
        assert "sort: Name ▼" in drawn
        focused = table(app).focused_gid
        await pilot.press("less_than_sign")  # back to queue order; cursor stays on its row
        assert app.dashboard.sort_column == "pos"
        assert table(app).focused_gid == focused
        await pilot.press("f6")
        await pilot.press("down", "enter")  # "Name" in the list: A to Z again
        assert app.dashboard.sort_column == "name" and not app.dashboard.sort_reverse
        await pilot.click("#downloads", offset=(10, 0))  # the Name header again: inverts
        await until(pilot, lambda: app.dashboard.sort_reverse, "inverted by header click")
        assert shown_names(app) == ["charlie.bin", "bravo.bin", "alpha.bin"]
        header = next(line for line in screen_text(app).splitlines() if "Status" in line)
        status_at = header.index("Status")  # the name takes a third of the line or more
        await pilot.click("#downloads", offset=(status_at, 0))  # Status header: sort by it
        await until(pilot, lambda: app.dashboard.sort_column == "status", "sorted by status")


async def test_search_filter_and_views(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    names = ("ubuntu.iso", "debian.iso", "notes.txt", "ubuntu-server.iso")
    gids = await _add_paused(client, files, *names)
    failed = await client.add_uri([files.url("nope.bin")])
    await wait_for_status(client, failed, {"error"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=5, notifications=True) as (app, pilot):
        await pilot.press("slash", *"ubuntu")
        assert table(app).focused_gid == gids[0]
        await pilot.press("enter", "n")
        assert table(app).focused_gid == gids[3]
        await pilot.press("N")
        assert table(app).focused_gid == gids[0]
        await pilot.press("backslash", *"iso")
        assert shown_names(app) == ["ubuntu.iso", "debian.iso", "ubuntu-server.iso"]
        await pilot.press("enter")
        assert "filter: iso" in screen_text(app)
        await pilot.press("escape")
        assert len(app.dashboard.shown) == 5
        await pilot.press("f4", *"deb", "escape")  # Esc in the prompt clears too
        assert len(app.dashboard.shown) == 5
        await pilot.press("6")
        assert [d.gid for d in app.dashboard.shown] == [failed]
        await pilot.press("tab")  # Errors -> All
        assert len(app.dashboard.shown) == 5
        await pilot.press("shift+tab")
        assert [d.gid for d in app.dashboard.shown] == [failed]
        await pilot.press("4")
        assert len(app.dashboard.shown) == 4
        await pilot.press("2")
        assert app.dashboard.shown == []
        await until(
            pilot, lambda: "No downloads match this view (Active)" in screen_text(app), "hint"
        )


async def test_errors_are_notified_and_app_keeps_running(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    done = await client.add_uri([files.make_file("fin.bin", 2048)])
    await wait_for_status(client, done, {"complete"})
    (queued,) = await _add_paused(client, files, "q.bin")
    await client.unpause(queued)
    async with running_app(daemon, tmp_path, size=SIZE, rows=2, notifications=True) as (app, pilot):
        focus(app, done)
        await pilot.press("p")
        await until(pilot, lambda: "cannot pause or resume fin.bin" in screen_text(app), "notice")
        await pilot.press("left_square_bracket")  # a finished download has no queue place
        await until(pilot, lambda: "only queued downloads move" in screen_text(app), "notice")
        assert app.is_running


async def test_help_palette_and_quit(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("pal.bin", 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await until(pilot, lambda: "Pause / resume" in screen_text(app), "help text")
        text = screen_text(app)
        for words in ("Pause all / resume", "Global ↓ limit up", "1–6", "Shift+Tab", "F9 Del"):
            assert words in text
        assert "PgUp PgDn" in text and "Ctrl+P" in text
        assert "more below" in text  # 120x35 holds all but the last lines: it says so
        await pilot.press("end")  # the help scrolls to its last group
        await until(pilot, lambda: "Click a header" in screen_text(app), "end")
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"Pause all", "enter")
        await wait_for_status(client, gid, {"paused"})
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "app to quit")


async def test_daemon_loss_keeps_stale_data_and_recovers(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    from aria2_top.daemon.process import free_port

    port = free_port()
    first = await daemons.start(port=port, name="first")
    async with TestClient(first.url, first.secret) as rpc:
        await rpc.add_uri([files.make_file("x.bin", 1 << 20)], {"pause": True})
    async with running_app(first, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        first.kill()
        await until(pilot, lambda: "✖ no reply for" in screen_text(app), "reconnecting")
        assert "connection refused" in screen_text(app)
        assert "[stale]" in screen_text(app)
        assert len(app.dashboard.shown) == 1 and table(app).has_class("-stale")
        second = await daemons.start(port=port, name="second")
        async with TestClient(second.url, second.secret) as rpc:
            await rpc.add_uri([files.make_file("y.bin", 1 << 20)], {"pause": True})
            await rpc.add_uri([files.make_file("z.bin", 1 << 20)], {"pause": True})
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "new daemon's rows", timeout=30)
        await until(pilot, lambda: "● connected" in screen_text(app), "connected again")
        assert not table(app).has_class("-stale")
        assert app.is_running


async def test_wrong_secret_is_shown(daemon: RunningDaemon, tmp_path: Path) -> None:
    wrong = RunningDaemon(url=daemon.url, secret="wrong", pid=daemon.pid)
    app = app_for(wrong, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "authentication failed" in screen_text(app), "auth failure")
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (200, 50)])
async def test_columns_fit_the_terminal(
    daemon: RunningDaemon,
    client: TestClient,
    files: FileServer,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    await _add_paused(client, files, "a-rather-long-file-name-for-a-download.tar.gz")
    async with running_app(daemon, tmp_path, size=size, rows=1) as (app, _pilot):
        assert table(app).total_width <= size[0] - 1  # and the scrollbar gutter
        assert table(app).total_width >= size[0] - 3  # the name column takes the rest
        assert "Name" in screen_text(app) and "Status" in screen_text(app)


async def test_snapshots_keep_coming_while_a_dialog_is_open(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("dlg.bin", 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "confirm dialog")
        before = app.dashboard.shown[0].completed or 0
        # Several ticks (0.25 s each) arrive while the dialog is open.
        await until(
            pilot,
            lambda: (app.dashboard.shown[0].completed or 0) > before,
            "progress behind the dialog",
        )
        await pilot.press("n")
        await pilot.press("f1")
        await until(
            pilot,
            lambda: (app.dashboard.shown[0].completed or 0) > before + 20_000,
            "more progress",
        )
        assert isinstance(app.screen, HelpScreen) and app.is_running


async def test_notifications_and_actions_refresh_at_once(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """With a 1-hour interval, only notifications and actions can refresh the table."""

    (first,) = await _add_paused(client, files, "first.bin")
    endpoint = Endpoint(daemon.url, daemon.secret, daemon.url)
    app = app_for(endpoint, tmp_path, interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the first poll")
        await until(pilot, lambda: "connected" in screen_text(app), "listener connected")
        done = await client.add_uri([files.make_file("note.bin", 2048)])
        await until(
            pilot,
            lambda: any(d.gid == done for d in app.dashboard.shown),
            "row from a notification",
        )
        await until(
            pilot,
            lambda: next(d for d in app.dashboard.shown if d.gid == done).status is Status.COMPLETE,
            "complete from a notification",
        )
        focus(app, first)
        await pilot.press("p")  # resume: the action itself asks for a refresh
        await until(
            pilot,
            lambda: (
                next(d for d in app.dashboard.shown if d.gid == first).status is not Status.PAUSED
            ),
            "resumed row",
        )


async def test_torrent_seeding_and_magnet_metadata(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    from tests.support.payloads import make_torrent

    data = tmp_path / "seed"
    torrent = make_torrent(data, {"a.txt": 40_000, "b/c.txt": 70_000}, name="shared")
    seeding = await client.add_torrent(
        torrent, options={"dir": str(data), "check-integrity": "true", "seed-time": "60"}
    )
    magnet = await client.add_uri(["magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=wanted"])
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=(160, 35)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")

        def by_gid() -> dict[str, Download]:
            return {d.gid: d for d in app.dashboard.shown}

        await until(pilot, lambda: by_gid()[seeding].status is Status.SEEDING, "seeding")
        await until(pilot, lambda: by_gid()[magnet].status is Status.METADATA, "metadata")
        text = screen_text(app)
        assert "seeding" in text and "metadata" in text and "shared" in text
        assert by_gid()[seeding].ratio == 0.0 and "0.00" in text  # ratio shown for torrents
