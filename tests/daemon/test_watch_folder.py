"""Watched folders on the real daemon: the dashboard adds what is dropped (a torrent,
a .uris list), once; junk and a torrent the daemon already holds become
``NAME.invalid`` with the reason in the event log; a file still being written is
waited for; ``aria2-top add --watched`` does the same from the shell."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.live.listing import every_download
from aria2_top.model.bencode import info_hash
from aria2_top.model.events import EventKind
from aria2_top.ops.folder_watcher import FolderWatcher
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.events import EventsScreen
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.shell import to, verb
from tests.support.ui import app_for, make_settings, notices, screen_text, until

SIZE = (120, 35)


async def _held(client: TestClient) -> list[dict[str, object]]:
    """Every download aria2c holds (running, waiting, stopped)."""
    listing = await every_download(client, ["gid", "infoHash", "files", "status"])
    return listing.everything


def _paths(struct: dict[str, object]) -> list[str]:
    files = struct.get("files")
    assert isinstance(files, list)
    return [str(f.get("path", "")) for f in files if isinstance(f, dict)]


def _watch_texts(app: Aria2TopApp) -> list[str]:
    return [e.text for e in app.dashboard.events.newest_first() if e.kind is EventKind.WATCH]


def _watcher(app: Aria2TopApp) -> FolderWatcher:
    watcher = app.dashboard.watched.watcher
    assert watcher is not None, "the folders are watched"
    return watcher


def _app(daemon: RunningDaemon, tmp_path: Path, folder: Path) -> Aria2TopApp:
    settings = dataclasses.replace(make_settings(tmp_path), watch=(folder,))
    return app_for(daemon, settings=settings, label="d")


async def test_the_dashboard_adds_what_is_dropped_once_and_says_what_is_invalid(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    torrent = make_torrent(tmp_path / "made", {"w.bin": 40_000}, name="watched-bundle")
    (folder / "good.torrent").write_bytes(torrent)  # there before the app: the first look
    (folder / "notes.txt.part").write_bytes(b"left alone")
    url = files.make_file("watched-list.bin", 30_000)
    app = _app(daemon, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: (folder / "good.torrent.added").exists(), "good.torrent added")
        held = await _held(client)
        assert [d["infoHash"] for d in held] == [info_hash(torrent)]
        first_gid = held[0]["gid"]

        (folder / "list.uris").write_text(f"{url}\n  out=from-the-list.bin\n")
        await until(pilot, lambda: (folder / "list.uris.added").exists(), "list.uris added")
        (folder / "junk.torrent").write_bytes(b"this is no torrent")
        await until(pilot, lambda: (folder / "junk.torrent.invalid").exists(), "junk invalid")
        # The same torrent again: not sent (aria2 would take it and then fail it with
        # "InfoHash … is already registered"): invalid, naming the GID that holds it.
        (folder / "again.torrent").write_bytes(torrent)
        await until(pilot, lambda: (folder / "again.torrent.invalid").exists(), "again invalid")

        held = await _held(client)
        assert len(held) == 2, held
        assert sum(d.get("infoHash") == info_hash(torrent) for d in held) == 1
        from_list = [d for d in held if "infoHash" not in d]
        assert _paths(from_list[0])[0].endswith("/from-the-list.bin"), "its option line"
        assert sorted(p.name for p in folder.iterdir()) == [
            "again.torrent.invalid",
            "good.torrent.added",
            "junk.torrent.invalid",
            "list.uris.added",
            "notes.txt.part",
        ]
        texts = _watch_texts(app)
        assert any(
            t.startswith("junk.torrent is invalid: junk.torrent is not a valid") for t in texts
        )
        assert any(
            f"again.torrent is invalid: the daemon already has this torrent (GID {first_gid})" in t
            for t in texts
        )
        assert "junk.torrent is invalid" in notices(app)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), "the event log")
        await until(pilot, lambda: "added list.uris" in screen_text(app), "shown in e")
        assert "junk.torrent is invalid" in screen_text(app)
    assert len(await _held(client)) == 2, "nothing added twice"


async def test_a_file_still_being_written_is_waited_for(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    torrent = make_torrent(tmp_path / "made", {"s.bin": 60_000}, name="slowly-written")
    dropped = folder / "slow.torrent"
    app = _app(daemon, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: _watcher(app).looks >= 1, "the first look")
        watcher = _watcher(app)
        watcher.settling.settle = 3600.0  # the writer "pauses" for as long as the test likes
        with dropped.open("wb") as handle:
            handle.write(torrent[: len(torrent) // 2])
            handle.flush()
            await until(pilot, lambda: watcher.settling.seen(dropped), "the half seen")
            seen_at = watcher.looks
            for nudge in range(1, 4):  # other changes make the watcher look again
                (folder / f"nudge{nudge}.txt").write_text("x")
                wanted = seen_at + nudge
                await until(pilot, lambda: watcher.looks >= wanted, "another look")  # noqa: B023
            assert dropped.exists()
            assert not list(folder.glob("slow.torrent.*")), "not taken while being written"
            assert await _held(client) == []
            watcher.settling.settle = 0.2
            handle.write(torrent[len(torrent) // 2 :])
        await until(pilot, lambda: (folder / "slow.torrent.added").exists(), "added when whole")
        assert [d["infoHash"] for d in await _held(client)] == [info_hash(torrent)]


async def test_add_watched_from_the_shell_adds_once(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    url = files.make_file("watched-by-cron.bin", 20_000)
    (folder / "one.uris").write_text(f"{url}\n")
    (folder / "bad.magnet").write_text("https://not.a.magnet/link\n")
    conf = tmp_path / "config.toml"
    conf.write_text(f"watch = [{str(folder)!r}, {str(tmp_path / 'not-there')!r}]\n")
    ran = await verb("add", "--watched", "--config", str(conf), *to(daemon))
    assert ran.code == 1, ran
    gids = ran.lines
    assert len(gids) == 1
    assert "bad.magnet is invalid: line 1: a .magnet file holds magnet links only" in ran.err
    assert "not-there is not there" in ran.err
    assert [d["gid"] for d in await _held(client)] == gids
    assert sorted(p.name for p in folder.iterdir()) == ["bad.magnet.invalid", "one.uris.added"]

    again = await verb("add", "--watched", "--config", str(conf), *to(daemon))
    assert (again.code, again.out) == (0, ""), again
    assert [d["gid"] for d in await _held(client)] == gids, "not added twice"

    usage = await verb("add", "--watched", url, "--config", str(conf), *to(daemon))
    assert usage.code == 2 and "--watched takes no URI" in usage.err
