"""File actions against a real aria2c: remove with data deletes exactly the
download's files, its control file and the folders it made; nothing outside its
folder; never on a daemon whose files are elsewhere."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.bencode import info_hash
from aria2_top.model.downloads import Status
from aria2_top.rpc.errors import Aria2RpcError
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.terminal import TerminalApp, user_environment
from tests.support.ui import app_for, focus, make_settings, notices, screen_text, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)


def _downloads(daemon: RunningDaemon) -> Path:
    return Path(daemon.state_dir or "").parent / "downloads"


async def _gone(client: TestClient, gid: str) -> bool:
    try:
        await client.tell_status(gid, ["status"])
    except Aria2RpcError:
        return True
    return False


async def test_remove_and_delete_files_of_tagged_downloads(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = _downloads(daemon)
    done = await client.add_uri(
        [files.make_file("fa-done.bin", 64 << 10)], {"out": "made/here/fa-done.bin"}
    )
    await wait_for_status(client, done, {"complete"})
    running = await client.add_uri(
        [files.make_file("fa-running.bin", 1 << 20)], {"max-download-limit": SLOW}
    )
    await wait_for_status(client, running, {"active"})
    assert (folder / "made/here/fa-done.bin").exists()
    control = folder / "fa-running.bin.aria2"
    await wait_until(lambda: _exists(control), what="aria2's control file")
    mine = folder / "made" / "mine.txt"  # a file of the user's next to the download's
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        await pilot.press("ctrl+a", "f9")
        await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "the dialog")
        await until(pilot, lambda: "d deletes 3 files" in screen_text(app), "what d deletes")
        text = screen_text(app)
        assert "made/here/fa-done.bin" in text and "fa-running.bin.aria2" in text
        mine.write_text("mine")
        await pilot.press("d")
        await until(pilot, lambda: "deleted 3 files" in notices(app), "the notice")
    assert await _gone(client, done) and await _gone(client, running)
    assert not (folder / "made/here").exists() and not (folder / "fa-running.bin").exists()
    assert not (folder / "fa-running.bin.aria2").exists()
    assert mine.read_text() == "mine" and folder.is_dir(), "only the download's own files"
    assert outside.read_text() == "keep me"


async def test_a_symlink_and_a_file_already_gone(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """A download's file replaced by a symlink is not what aria2 wrote: the link and
    its target stay (said in the dialog); a file gone before d is no error."""
    folder = _downloads(daemon)
    linked = await client.add_uri([files.make_file("fa-linked.bin", 4096)])
    vanished = await client.add_uri([files.make_file("fa-vanished.bin", 4096)])
    for gid in (linked, vanished):
        await wait_for_status(client, gid, {"complete"})
    outside = tmp_path / "precious.bin"
    outside.write_text("keep me")
    (folder / "fa-linked.bin").unlink()
    (folder / "fa-linked.bin").symlink_to(outside)
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        await pilot.press("ctrl+a", "f9")
        await until(pilot, lambda: "d deletes 1 file" in screen_text(app), "what d deletes")
        assert "keeps fa-linked.bin: not a regular file" in screen_text(app)
        (folder / "fa-vanished.bin").unlink()  # gone before d: not an error
        await pilot.press("d")
        await until(pilot, lambda: "removed 2 downloads" in notices(app), "the notice")
        assert "error" not in notices(app).lower()
    assert outside.read_text() == "keep me", "the link's target stays"
    assert (folder / "fa-linked.bin").is_symlink(), "aria2 wrote no link: it stays"


async def test_files_are_never_deleted_on_a_daemon_elsewhere(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = _downloads(daemon)
    gid = await client.add_uri([files.make_file("fa-remote.bin", 4096)])
    await wait_for_status(client, gid, {"complete"})
    remote = Endpoint(daemon.url, daemon.secret, "nas", local=False)
    app = app_for(remote, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("f9")
        await until(pilot, lambda: "only for a daemon on this machine" in screen_text(app), "why")
        await pilot.press("d")
        assert isinstance(app.screen, RemoveScreen), "d does nothing here"
        await pilot.press("y")
        await until(pilot, lambda: not app.dashboard.shown, "removed")
    assert (folder / "fa-remote.bin").exists()


async def test_copy_magnet_uris_gid_and_path(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    torrent = make_torrent(
        tmp_path / "seed",
        {"a.bin": 20_000, "sub/b.bin": 10_000},
        name="Album & Co",
        tracker="http://tracker.example:6969/announce",
    )
    tgid = await client.add_torrent(torrent, options={"pause": True})
    url = files.make_file("fa-copy.bin", 4096)
    hgid = await client.add_uri([url])
    await wait_for_status(client, hgid, {"complete"})
    folder = _downloads(daemon)
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        focus(app, tgid)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the chooser")
        await pilot.press("m")
        await until(pilot, lambda: "copied the magnet link" in notices(app), "magnet copied")
        magnet = app.clipboard
        assert magnet.startswith("magnet:?xt=urn:btih:") and "&dn=Album%20%26%20Co" in magnet
        assert "&tr=http%3A%2F%2Ftracker.example%3A6969%2Fannounce" in magnet
        await pilot.press("y", "p")
        await until(pilot, lambda: app.clipboard == str(folder / "Album & Co"), "torrent path")
        focus(app, hgid)
        await pilot.press("y", "u")
        await until(pilot, lambda: app.clipboard == url, "the URI")
        await pilot.press("y", "g")
        await until(pilot, lambda: app.clipboard == hgid, "the full GID")
        await pilot.press("y", "m")
        await until(pilot, lambda: "nothing to copy: no magnet link" in notices(app), "none")
        assert app.clipboard == hgid


async def test_copy_reaches_the_terminal_as_osc_52(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("fa-osc.bin", 4096)], {"pause": True})
    env = user_environment(tmp_path)
    terminal = TerminalApp(env, "--rpc-url", daemon.url, "--secret", daemon.secret)
    try:
        await wait_until(lambda: _drawn(terminal), lambda out: "fa-osc.bin" in out, what="the row")
        terminal.press("y")
        await wait_until(lambda: _drawn(terminal), lambda out: "Copy" in out, what="chooser")
        terminal.press("g")
        sent = b"\x1b]52;c;" + base64.b64encode(gid.encode())
        await wait_until(lambda: _sent(terminal), lambda raw: sent in raw, what="OSC 52")
        terminal.press("q")
    finally:
        terminal.close()


async def _exists(path: Path) -> bool:
    return path.exists()


async def _drawn(terminal: TerminalApp) -> str:
    return terminal.output


async def _sent(terminal: TerminalApp) -> bytes:
    return terminal.raw


async def test_verify_finds_a_corrupted_piece(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"track.flac": 200_000}, name="Verify me", piece_size=16384)
    gid = await client.add_torrent(
        torrent, options={"dir": str(seed), "check-integrity": "true", "seed-time": "0"}
    )
    await wait_for_status(client, gid, {"complete"})
    data = seed / "Verify me" / "track.flac"
    with data.open("r+b") as handle:  # one byte wrong in the fourth piece
        handle.seek(3 * 16384 + 7)
        byte = handle.read(1)
        handle.seek(3 * 16384 + 7)
        handle.write(bytes([byte[0] ^ 0xFF]))
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("V")
        await until(pilot, lambda: "verifying Verify me" in notices(app), "the check begins")
        await until(
            pilot,
            lambda: "Verify me: 1 of 13 pieces bad: downloading them again" in notices(app),
            "what the check found",
            timeout=30,
        )
        new = app.dashboard.shown[0]
        assert new.gid != gid and new.name == "Verify me"
        assert app.dashboard.table.focused_key == new.key


async def test_retry_a_failed_torrent_from_its_saved_metadata(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    files = {"one.bin": 40_000, "two.bin": 30_000}
    torrent = make_torrent(seed, files, name="Retry me", tracker="http://127.0.0.1:9/announce")
    folder = _downloads(daemon)
    (folder / "Retry me").mkdir(parents=True)
    (folder / "Retry me" / "one.bin").write_text("someone else's")  # aria2 refuses: error 13
    options = {"continue": "false", "allow-overwrite": "false", "select-file": "1"}
    gid = await client.add_torrent(torrent, options=options)
    await wait_for_status(client, gid, {"error"})
    (folder / "Retry me" / "one.bin").unlink()
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the failed row")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "where to")
        await pilot.press("enter")
        await until(pilot, lambda: "retried 1 download" in notices(app), "retried")
        await until(
            pilot,
            lambda: [d.gid for d in app.dashboard.shown][:1] not in ([], [gid]),
            "the new download",
        )
        new = app.dashboard.shown[0]
    assert await _gone(client, gid)
    status = await client.tell_status(new.gid, ["infoHash", "bittorrent"])
    again = await client.get_option(new.gid)
    assert status["infoHash"] == info_hash(torrent)
    assert again["select-file"] == "1", "its file selection came along"


async def test_export_the_torrent_aria2_saved(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    torrent = make_torrent(tmp_path / "seed", {"x.bin": 20_000}, name="Export me")
    await client.add_torrent(torrent, options={"pause": True})
    target = Path.home() / "out" / "exported.torrent"  # typed short: ~/out/…
    target.parent.mkdir()
    taken = Path.home() / "out" / "taken.torrent"
    taken.write_text("mine")
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "where to")
        assert "Export me.torrent" in screen_text(app)
        await pilot.press("ctrl+u", *"~/out/taken.torrent", "enter")
        await until(pilot, lambda: "exists: give another name" in screen_text(app), "refused")
        await pilot.press("ctrl+u", *"~/out/exported.torrent", "enter")
        await until(pilot, lambda: "exported the .torrent" in notices(app), "exported")
    assert info_hash(target.read_bytes()) == info_hash(torrent)
    assert taken.read_text() == "mine"


async def test_stream_sets_the_options_and_the_overview_says_what_is_playable(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("fa-movie.mkv", 6 << 20)
    gid = await client.add_uri([url], {"max-download-limit": "600K", "split": "1"})
    await wait_for_status(client, gid, {"active"})
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("S")
        await until(pilot, lambda: "streaming fa-movie.mkv" in notices(app), "streaming on")
        options = await client.get_option(gid)
        assert options["stream-piece-selector"] == "inorder"
        assert options["bt-prioritize-piece"] == "head=8192K,tail=2048K"
        assert "pieces in order from its start" in notices(app)
        await wait_for_status(client, gid, {"active"})  # running again
        await pilot.press("o")
        await until(pilot, lambda: "not enough is here yet to play" in notices(app), "too soon")
        assert "streaming is on: o opens it once 4.0M" in notices(app)  # not "S streams it"
        assert "S streams it" not in notices(app)
        await pilot.press("enter")
        await until(pilot, lambda: "Playable" in screen_text(app), "the playable row", timeout=30)
        assert "of fa-movie.mkv (" in screen_text(app), screen_text(app)
        assert "from its start)" in screen_text(app)
        assert "Streaming" in screen_text(app)  # its row: what S does for this download
        await pilot.press("escape", "S")
        await until(pilot, lambda: "streaming off" in notices(app), "streaming off")
        assert (await client.get_option(gid))["stream-piece-selector"] == "default"


async def test_open_plays_a_finished_file_with_the_configured_player(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    gid = await client.add_uri([files.make_file("fa-song.ogg", 8192)])
    await wait_for_status(client, gid, {"complete"})
    played = tmp_path / "played.txt"
    player = tmp_path / "player.sh"
    player.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {played}\n')
    player.chmod(0o755)
    settings = replace(make_settings(tmp_path), player=f"{player}")
    app = app_for(daemon, label="local", settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("o")
        await until(pilot, lambda: "opening" in notices(app), "opening")
    await wait_until(lambda: _exists(played), what="the player to start")
    assert played.read_text() == str(_downloads(daemon) / "fa-song.ogg")
    remote = app_for(Endpoint(daemon.url, daemon.secret, "nas", local=False), tmp_path)
    async with remote.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(remote.dashboard.shown) == 1, "the row")
        await pilot.press("o", "V")
        await until(
            pilot, lambda: notices(remote).count("only for a daemon on this machine") == 2, "no"
        )


async def test_move_finished_files_and_a_seeding_torrent(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = _downloads(daemon)
    done = await client.add_uri(
        [files.make_file("fa-move.bin", 64 << 10)], {"out": "sub/fa-move.bin"}
    )
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"a.bin": 50_000, "b/c.bin": 30_000}, name="Move me")
    seeding = await client.add_torrent(
        torrent, options={"dir": str(seed), "check-integrity": "true", "seed-ratio": "0.0"}
    )
    await wait_for_status(client, done, {"complete"})
    target = Path.home() / "archive"  # typed short: ~/archive
    target.mkdir()
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        await until(
            pilot, lambda: any(d.status is Status.SEEDING for d in app.dashboard.shown), "seeding"
        )
        await pilot.press("ctrl+a", "M")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "where to")
        await pilot.press("ctrl+u", *"~/archive", "enter")
        await until(pilot, lambda: "moved fa-move.bin" in notices(app), "moved the file")
        await until(pilot, lambda: "moved Move me" in notices(app), "moved the torrent")
        await until(pilot, lambda: "Move me: verified, all" in notices(app), "checked", timeout=30)
    assert (target / "sub" / "fa-move.bin").stat().st_size == 64 << 10
    assert not (folder / "sub").exists(), "the folder it left was empty: gone"
    assert (target / "Move me" / "b" / "c.bin").exists() and not (
        seed / "Move me" / "a.bin"
    ).exists()
    moved = [g for g in await client.tell_active(["gid", "dir", "infoHash"]) if g["gid"] != seeding]
    assert moved and moved[0]["dir"] == str(target) and moved[0]["infoHash"] == info_hash(torrent)


async def test_every_file_action_refuses_on_a_daemon_elsewhere(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    torrent = make_torrent(tmp_path / "seed", {"r.bin": 20_000}, name="Remote torrent")
    tgid = await client.add_torrent(torrent, options={"pause": True})
    hgid = await client.add_uri([files.make_file("fa-elsewhere.bin", 4096)])
    await wait_for_status(client, hgid, {"complete"})
    remote = Endpoint(daemon.url, daemon.secret, "nas", local=False)
    app = app_for(remote, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        focus(app, tgid)
        await pilot.press("E", "V", "o")
        focus(app, hgid)
        await pilot.press("M")
        for what in ("Exporting the .torrent", "Verifying", "Opening files", "Moving files"):
            said = f"{what} is offered only for a daemon on this machine: nas is not."
            await until(pilot, lambda said=said: said in notices(app), what)  # type: ignore[misc]
        await pilot.press("f9")
        await until(pilot, lambda: "Deleting files is offered only" in screen_text(app), "F9")
        await pilot.press("d")
        assert isinstance(app.screen, RemoveScreen)
    assert (_downloads(daemon) / "fa-elsewhere.bin").exists()
