"""A keyboard you can trust, a cursor that stays, numbers that agree: keys pressed
as a user presses them (in bursts too), checked against aria2 and the screen."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.widgets import Input, TextArea

from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import (
    app_for,
    burst,
    notices,
    running_app,
    screen_text,
    table,
    tagged_gids,
    until,
)
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)


def screen_of(app: Aria2TopApp) -> Screen[object]:
    """The screen on top now (a call, so the type checker does not carry a narrowed
    ``app.screen`` from one key to the next)."""
    return app.screen


def on_main_screen(app: Aria2TopApp) -> bool:
    return len(app.screen_stack) == 1


async def _statuses(client: TestClient) -> list[str]:
    return [d["status"] for d in await client.tell_waiting(0, 100, ["status"])] + [
        d["status"] for d in await client.tell_active(["status"])
    ]


async def _paused(client: TestClient, files: FileServer, *names: str) -> list[str]:
    """Paused downloads of 1 MiB files, served under daily/ (the file server is the
    whole session's: one name, one size)."""
    return [
        await client.add_uri([files.make_file(f"daily/{n}", 1 << 20)], {"pause": True})
        for n in names
    ]


async def test_typed_text_never_runs_commands(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """Whole words typed fast into every text field: no app key fires."""
    await _paused(client, files, "one.bin", "two.bin")
    async with running_app(daemon, tmp_path, size=SIZE, rows=2) as (app, pilot):
        await burst(pilot, "\\pause")  # the filter, then "pause" as one burst
        assert app.dashboard.filter_text == "pause" and app.dashboard.prompt.has_focus
        await pilot.press("escape")
        await burst(pilot, "/quit")
        assert app.is_running and app.dashboard.view_commands.search_text == "quit"
        await pilot.press("escape")
        await burst(pilot, "aadd limit")  # a, then the text: all of it in the Add box
        assert isinstance(screen_of(app), AddDialog)
        assert screen_of(app).query_one(TextArea).text == "add limit"
        await pilot.press("escape")  # one Esc closes it, even from the text box
        assert on_main_screen(app), "back on the main screen"
        await pilot.press("enter", "6")
        await until(pilot, lambda: "allow-overwrite" in screen_text(app), "the options")
        await burst(pilot, "pause limit add")
        assert app.dashboard.details.query_one("#options-filter", Input).value == "pause limit add"
        await pilot.press("escape")
        await burst(pilot, "Opause")
        assert isinstance(screen_of(app), GlobalOptionsScreen)
        assert screen_of(app).query_one("#options-filter", Input).value == "pause"
        await pilot.press("escape")
        assert on_main_screen(app), "one Esc closes it"
        await burst(pilot, "Lpause")
        assert isinstance(screen_of(app), LimitsDialog)
        await pilot.press("escape")
        assert app.is_running
    assert await _statuses(client) == ["paused", "paused"]  # nothing was resumed


async def test_arrows_move_the_table_with_the_pane_open(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    await _paused(client, files, "first.bin", "second.bin", "third.bin")
    async with running_app(daemon, tmp_path, size=SIZE, rows=3) as (app, pilot):
        await pilot.press("enter")
        await until(pilot, lambda: "Directory" in screen_text(app), "the overview")
        assert "↑↓ move the table" in screen_text(app)
        await pilot.press("down", "down")
        assert table(app).cursor_row == 2
        await until(
            pilot, lambda: "third.bin" in app.dashboard.details.name_text, "the pane follows"
        )
        await pilot.press("pageup", "2")  # Files: the arrows go to the tree
        assert table(app).cursor_row == 0
        assert "j/k table" in screen_text(app)
        await pilot.press("j")
        assert table(app).cursor_row == 1


async def test_the_cursor_takes_the_next_row_or_follows(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """Without follow mode the cursor keeps its line when its download leaves; with F
    it follows the download; after the user's own action it follows too."""
    gids = await _paused(client, files, *(f"row{n}.bin" for n in range(6)))
    async with running_app(daemon, tmp_path, size=SIZE, rows=6, notifications=True) as (app, pilot):
        await pilot.press("j", "j")
        assert table(app).focused_gid == gids[2]
        await client.remove(gids[2])  # by another client: the row leaves the queue
        await until(pilot, lambda: table(app).focused_gid == gids[3], "the row that took it")
        assert table(app).cursor_row == 2
        await pilot.press("F")
        assert "follow" in screen_text(app)
        await client.change_position(gids[3], 0, "POS_SET")
        await until(pilot, lambda: table(app).cursor_row == 0, "followed to the top")
        assert table(app).focused_gid == gids[3]
        await pilot.press("F", "G")  # follow off; the last row
        await pilot.press("t")  # the user's own move: the cursor goes with it
        await until(pilot, lambda: table(app).order[0] == gids[5], "moved to the top")
        assert table(app).focused_gid == gids[5]


async def test_a_removed_row_leaves_its_line_to_the_next(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """In All, the removed result sorts to the end: the cursor keeps its line, on the
    row that took the place (as htop), and the next key acts on that row. F still
    follows a download that moves."""
    running = [
        await client.add_uri([files.make_file(f"daily/{n}", 1 << 20)], {"max-download-limit": SLOW})
        for n in ("run0.bin", "run1.bin")
    ]
    for gid in running:
        await wait_for_status(client, gid, {"active"})
    paused = await _paused(client, files, "rest0.bin", "rest1.bin")
    async with running_app(daemon, tmp_path, size=SIZE, rows=4, notifications=True) as (app, pilot):
        await pilot.press("g")
        first = table(app).focused_gid
        assert first in running
        await pilot.press("delete")
        await until(pilot, lambda: "Remove" in screen_text(app), "the dialog")
        await pilot.press("y")
        await until(pilot, lambda: table(app).order[-1] == first, "the result sorts last")
        await pilot.pause(0.6)  # a few more refreshes: the cursor must not move on later
        assert table(app).cursor_row == 0
        taker = table(app).focused_gid
        assert taker != first and taker in running
        await pilot.press("p")  # acts on the row that took the line
        assert await wait_for_status(client, taker, {"paused"}) == "paused"
        assert (await client.tell_status(first, ["status"]))["status"] == "removed"
        assert [(await client.tell_status(g, ["status"]))["status"] for g in paused] == [
            "paused",
            "paused",
        ]


async def test_pausing_several_keeps_their_queue_order(
    daemons: object, files: FileServer, tmp_path: Path
) -> None:
    from tests.conftest import DaemonFactory

    assert isinstance(daemons, DaemonFactory)
    daemon = await daemons.start(options={"max-concurrent-downloads": "3"})
    async with TestClient(daemon.url, daemon.secret) as client:
        gids = [
            await client.add_uri(
                [files.make_file(f"run{n}.bin", 1 << 20)], {"max-download-limit": SLOW}
            )
            for n in range(3)
        ]
        for gid in gids:
            await wait_for_status(client, gid, {"active"})
        async with running_app(daemon, tmp_path, size=SIZE, rows=3, notifications=True) as (
            app,
            pilot,
        ):
            await pilot.press("ctrl+a", "p")
            await until(pilot, lambda: "paused 3 downloads" in notices(app), "what p did")

            async def order() -> list[str]:
                return [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]

            await wait_until(order, lambda o: o == gids, what="the same order, paused")


async def test_tag_all_invert_retry_all_at_the_top_and_clear_the_view(
    daemons: object, files: FileServer, tmp_path: Path
) -> None:
    from tests.conftest import DaemonFactory

    assert isinstance(daemons, DaemonFactory)
    daemon = await daemons.start(options={"max-concurrent-downloads": "1"})
    client = TestClient(daemon.url, daemon.secret)
    failed = [await client.add_uri([files.url(f"late/f{n}.bin")]) for n in range(2)]
    for gid in failed:
        await wait_for_status(client, gid, {"error"})
    done = await client.add_uri([files.make_file("tagging-done.bin", 1024)])
    await wait_for_status(client, done, {"complete"})
    blocker = files.make_file("blocker.bin", 1 << 20)
    await client.add_uri([blocker], {"max-download-limit": SLOW})  # holds the one slot
    (queued,) = await _paused(client, files, "queued.bin")
    for n in range(2):
        files.make_file(f"late/f{n}.bin", 2048)  # the server has them now
    async with running_app(daemon, tmp_path, size=SIZE, rows=5, notifications=True) as (app, pilot):
        await pilot.press("ctrl+a")
        assert len(app.dashboard.tagged) == 5
        await pilot.press("6", "asterisk")  # the Errors view: invert its tags only
        assert tagged_gids(app) == {d.gid for d in app.dashboard.downloads if d.gid not in failed}
        await pilot.press("U", "5", "c")  # the Done view
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "which results")
        assert "The 1 shown here" in screen_text(app)
        await pilot.press("enter")  # this view's only
        await wait_until(
            lambda: client.tell_stopped(0, 10, ["gid"]), lambda s: len(s) == 2, what="Done cleared"
        )
        await pilot.press("6", "R")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "top or bottom")
        await pilot.press("down", "enter")  # at the top
        await until(pilot, lambda: "retried 2 downloads" in notices(app), "retried")

        async def waiting() -> list[str]:
            return [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]

        order = await wait_until(waiting, lambda w: len(w) == 3, what="both retries queued")
        assert order[-1] == queued, "the retries went in front of the queued one"
    await client.aclose()


async def test_limits_of_several_prefill_only_when_shared(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    a, b = await _paused(client, files, "a.bin", "b.bin")
    await client.change_option(a, {"max-download-limit": "100K"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=2) as (app, pilot):
        await pilot.press("ctrl+a", "l")
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "the dialog")
        down = app.screen.query_one("#limit-down", Input)
        assert down.value == "" and "differ" in down.placeholder
        assert app.screen.query_one("#limit-up", Input).value == "0"
        await pilot.press("tab", "home", "ctrl+k", *"50K", "enter")  # ↑ only
        await wait_until(
            lambda: client.get_option(b), lambda o: o["max-upload-limit"] == "51200", what="↑ set"
        )
        assert (await client.get_option(a))["max-download-limit"] == "102400"  # kept
        assert (await client.get_option(b))["max-download-limit"] == "0"


async def test_uris_of_a_paused_download_and_the_errors_column(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("source.bin", 4096)
    await client.add_uri([url], {"pause": True})
    await wait_for_status(client, await client.add_uri([files.url("missing/x.bin")]), {"error"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=2) as (app, pilot):
        await pilot.press("enter")
        await until(
            pilot,
            lambda: f"Source      {url}" in screen_text(app) or url in screen_text(app),
            "the source in the overview",
        )
        await pilot.press("4")
        await until(pilot, lambda: url in screen_text(app), "the URI of a paused download")
        assert "aria2 says" not in screen_text(app)
        await pilot.press("escape", "6")
        await until(pilot, lambda: "Error" in screen_text(app), "the error column")
        assert "3: Resource not found" in screen_text(app)


async def test_wrong_secret_and_empty_table_say_what_to_do(
    daemon: RunningDaemon, tmp_path: Path
) -> None:
    wrong = RunningDaemon(url=daemon.url, secret="wrong", pid=daemon.pid)
    app = app_for(wrong, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Authentication failed" in screen_text(app), "in the table")
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "press a to add" in screen_text(app), "how to begin")


async def test_endings_are_announced(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    async with running_app(daemon, tmp_path, size=SIZE, notifications=True) as (app, pilot):
        await client.add_uri([files.make_file("announced.bin", 4096)])
        await client.add_uri([files.url("missing/lost.bin")])
        await until(pilot, lambda: "finished: announced.bin" in notices(app), "finished")
        await until(pilot, lambda: "failed: lost.bin" in notices(app), "failed")


async def test_add_dialog_fits_80x24(daemon: RunningDaemon, tmp_path: Path) -> None:
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "the dialog")
        app.screen.query_one(TextArea).insert("gopher://x\n")
        await pilot.press("ctrl+s")
        text = screen_text(app)
        for words in ("Add (Ctrl+S)", "Cancel (Esc)", "Start paused", "folder", "file name"):
            assert words in text, words
        assert "unknown scheme" in text
        await pilot.press("tab")  # Tab leaves the text box for the folder field
        assert app.screen.focused is not None and app.screen.focused.id == "add-dir"
        assert isinstance(app.screen, AddDialog) and InputDialog is not None
