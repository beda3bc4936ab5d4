"""F9 `d` deletes only what aria2 wrote for the download (model/ownership.py), on a
real aria2c: a failed torrent over the user's own file, over another download's
finished file, and a file swapped between the dialog and `d`. Of a failed torrent,
aria2 wrote only the .torrent it saved for it (model/saved_metadata.py): that goes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.events import EventKind
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.support.files import FileServer
from tests.support.payloads import make_single_torrent
from tests.support.rpc import TestClient
from tests.support.ui import app_for, focus, notices, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)


def _downloads(daemon: RunningDaemon) -> Path:
    return Path(daemon.state_dir or "").parent / "downloads"


async def _failed_over(client: TestClient, tmp_path: Path, name: str) -> tuple[str, str]:
    """A 14-byte single-file torrent named ``name``: aria2 stops it with error 13 when
    a file of that name is already there. (Its GID, the name of the .torrent aria2
    saved for it.)"""
    torrent = make_single_torrent(tmp_path / "seed", name, b"fourteen bytes")
    gid = await client.add_torrent(torrent)
    await wait_for_status(client, gid, {"error"})
    assert (await client.tell_status(gid, ["errorCode"]))["errorCode"] == "13"
    return gid, f"{hashlib.sha1(torrent).hexdigest()}.torrent"


async def _dialog(app: Aria2TopApp, pilot: object, what: str) -> None:
    await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "the dialog")  # type: ignore[arg-type]
    await until(pilot, lambda: what in screen_text(app), what)  # type: ignore[arg-type]


async def test_a_failed_torrent_over_the_users_own_file_deletes_only_its_saved_torrent(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    precious = _downloads(daemon) / "precious.txt"
    precious.write_text("the user's own words\n" * 200)
    _gid, saved = await _failed_over(client, tmp_path, "precious.txt")
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the failed row")
        await pilot.press("f9")
        await _dialog(app, pilot, "keeps precious.txt")
        text = screen_text(app)
        assert "d deletes 1 file" in text and "aria2 never wrote it" in text
        words = " ".join(text.replace("│", " ").split())  # the dialog wraps its lines
        assert "(error 13" in words and saved in words, text
        await pilot.press("d")
        await until(pilot, lambda: not app.dashboard.shown, "removed")
    assert precious.read_text() == "the user's own words\n" * 200
    events = [e.text for e in app.dashboard.events.newest_first() if e.kind is EventKind.DELETED]
    assert len(events) == 1 and events[0].startswith("precious.txt: deleted 1 file (")
    assert events[0].endswith(f"): {saved}"), "only the .torrent aria2 saved for it"
    assert not (_downloads(daemon) / saved).exists()


async def test_a_failed_torrent_never_deletes_another_downloads_file(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """A torrent named like another download's finished file fails with error 13:
    F9 d on it deletes nothing; F9 d on the download that wrote the file deletes it
    (the failed torrent, which wrote nothing, does not hold it)."""
    folder = _downloads(daemon)
    report = await client.add_uri(
        [files.make_file("own/report.bin", 64 << 10)], {"out": "report.1.bin"}
    )
    await wait_for_status(client, report, {"complete"})
    failed, saved = await _failed_over(client, tmp_path, "report.1.bin")
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        focus(app, failed)
        await pilot.press("f9")
        await _dialog(app, pilot, "keeps report.1.bin")
        assert "d deletes 1 file" in screen_text(app) and saved in screen_text(app)
        await pilot.press("d")
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the failed one removed")
        assert (folder / "report.1.bin").stat().st_size == 64 << 10
        assert not (folder / saved).exists()
        focus(app, report)
        await pilot.press("f9")
        await _dialog(app, pilot, "d deletes 1 file")
        assert "report.1.bin" in screen_text(app)
        await pilot.press("d")
        await until(pilot, lambda: "deleted 1 file" in notices(app), "deleted")
        events = [
            e.text for e in app.dashboard.events.newest_first() if e.kind is EventKind.DELETED
        ]
        assert events[0] == "report.1.bin: deleted 1 file (64.0K): report.1.bin"
        assert len(events) == 2 and events[1].endswith(saved), "the failed one's .torrent"
        history = {r.gid: r for r in app.download_history.records()}
        assert history[report].status == "deleted"
        assert history[report].note == "deleted 1 file (64.0K): report.1.bin"
    assert not (folder / "report.1.bin").exists()


async def test_a_file_swapped_between_the_dialog_and_d_stays(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = _downloads(daemon)
    gid = await client.add_uri([files.make_file("own/swapped.bin", 4096)])
    await wait_for_status(client, gid, {"complete"})
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("f9")
        await _dialog(app, pilot, "d deletes 1 file")
        (folder / "swapped.bin").unlink()
        (folder / "swapped.bin").write_bytes(b"u" * 4096)  # the user's, same name and size
        await pilot.press("d")
        await until(pilot, lambda: "changed since it was looked at" in notices(app), "said")
        await until(pilot, lambda: not app.dashboard.shown, "the download removed")
    assert (folder / "swapped.bin").read_bytes() == b"u" * 4096
