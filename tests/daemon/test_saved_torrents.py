"""The .torrent aria2 saves for a torrent added by RPC (``<dir>/<sha1 of the bytes>
.torrent``) goes with F9 `d` and moves with `M`, only when no other download of the
same torrent uses it (model/saved_metadata.py), on a real aria2c."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.pilot import Pilot

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.downloads import Status
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.remove_dialog import RemoveScreen
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.ui import app_for, focus, notices, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (140, 40)


def _saved(folder: Path, torrent: bytes) -> Path:
    """Where aria2 saves a torrent added by RPC: named after the SHA-1 of its bytes."""
    return folder / f"{hashlib.sha1(torrent).hexdigest()}.torrent"


async def _complete(client: TestClient, seed: Path, torrent: bytes, **options: str) -> str:
    """``torrent`` added on its data in ``seed``: checked, complete (no seeding)."""
    wanted = {"dir": str(seed), "check-integrity": "true", "seed-time": "0", **options}
    gid = await client.add_torrent(torrent, options=wanted)
    await wait_for_status(client, gid, {"complete"})
    return gid


def _words(app: Aria2TopApp) -> str:
    """The screen's text on one line (the dialog wraps its lines)."""
    return " ".join(screen_text(app).replace("│", " ").split())


async def _remove_dialog(app: Aria2TopApp, pilot: Pilot[None], what: str) -> None:
    await pilot.press("f9")
    await until(pilot, lambda: isinstance(app.screen, RemoveScreen), "the dialog")
    await until(pilot, lambda: what in _words(app), what)


async def test_d_deletes_the_torrent_aria2_saved_but_never_the_users_copy(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"track.flac": 40_000}, name="Album")
    gid = await _complete(client, seed, torrent)
    saved = _saved(seed, torrent)
    assert saved.read_bytes() == torrent, "aria2 saved it, named after its SHA-1"
    mine = seed / "Album.torrent"  # the user's own copy of the same torrent
    mine.write_bytes(torrent)
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await _remove_dialog(app, pilot, "d deletes 2 files")
        assert saved.name in _words(app) and "Album/track.flac" in _words(app)
        assert "Album.torrent" not in _words(app)
        await pilot.press("d")
        await until(pilot, lambda: "deleted 2 files" in notices(app), "deleted")
        deleted = [e.text for e in app.dashboard.events.newest_first() if saved.name in e.text]
        assert deleted, "the event log names the .torrent"
    assert not saved.exists() and not (seed / "Album").exists()
    assert mine.read_bytes() == torrent, "the user's copy stays"
    del gid


async def test_d_keeps_it_while_another_download_of_the_torrent_uses_it(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed, again = tmp_path / "seed", tmp_path / "again"
    torrent = make_torrent(seed, {"a.bin": 30_000}, name="Twice")
    first = await _complete(client, seed, torrent)
    again.mkdir()  # aria2 saves the .torrent only in a folder that exists
    second = await client.add_torrent(torrent, options={"dir": str(again), "pause": "true"})
    saved, saved_again = _saved(seed, torrent), _saved(again, torrent)
    assert saved.exists() and saved_again.exists()
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "two rows")
        focus(app, first)
        await _remove_dialog(app, pilot, f"keeps {saved.name}")
        assert "Twice (the same torrent) uses it too" in _words(app)
        assert "d deletes 1 file" in _words(app)
        await pilot.press("d")
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the first removed")
        assert saved.read_bytes() == torrent, "the other download may need it"
        assert not (seed / "Twice" / "a.bin").exists()
        focus(app, second)  # now no other download is of this torrent
        await _remove_dialog(app, pilot, "d deletes 1 file")
        assert saved_again.name in _words(app)
        await pilot.press("d")
        await until(pilot, lambda: not app.dashboard.shown, "the second removed")
    assert not saved_again.exists(), "its own saved .torrent went with it"
    assert saved.exists(), "not the second's: d never leaves the download's folder"


async def test_m_moves_it_with_the_files_unless_another_download_uses_it(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    """A complete torrent's saved .torrent moves with its files; a seeding one's
    leaves its old folder (aria2 saves it anew where it is added again); the one
    another download of the same torrent uses stays, and the notice says so."""
    seed, seeding_seed, shared = tmp_path / "seed", tmp_path / "seeding", tmp_path / "shared"
    complete = make_torrent(seed, {"a.bin": 30_000}, name="Done")
    seeding = make_torrent(seeding_seed, {"b.bin": 20_000}, name="Seeding")
    used = make_torrent(shared, {"c.bin": 10_000}, name="Shared")
    done_gid = await _complete(client, seed, complete)
    used_gid = await _complete(client, shared, used)
    (tmp_path / "copy").mkdir()
    await client.add_torrent(used, options={"dir": str(tmp_path / "copy"), "pause": "true"})
    seeding_gid = await client.add_torrent(
        seeding, options={"dir": str(seeding_seed), "check-integrity": "true", "seed-ratio": "0.0"}
    )
    target = Path.home() / "archive"  # typed short: ~/archive
    target.mkdir()
    app = app_for(daemon, tmp_path, label="local")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "four rows")
        await until(
            pilot, lambda: any(d.status is Status.SEEDING for d in app.dashboard.shown), "seeding"
        )
        for gid in (done_gid, used_gid, seeding_gid):
            focus(app, gid)
            await pilot.press("space")
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, InputDialog), "where to")
        await pilot.press("ctrl+u", *"~/archive", "enter")
        await until(pilot, lambda: "moved Done" in notices(app), "moved Done")
        await until(pilot, lambda: "moved Shared" in notices(app), "moved Shared")
        await until(pilot, lambda: "Seeding: verified, all" in notices(app), "checked", timeout=30)
        assert f"its saved {_saved(shared, used).name} stays" in notices(app)
        assert "Shared (the same torrent) uses it too" in notices(app)
    assert _saved(target, complete).read_bytes() == complete and not _saved(seed, complete).exists()
    assert (target / "Done" / "a.bin").exists()
    assert _saved(shared, used).read_bytes() == used and not _saved(target, used).exists()
    assert not _saved(seeding_seed, seeding).exists(), "it left the old folder"
    assert _saved(target, seeding).read_bytes() == seeding
