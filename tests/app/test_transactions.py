"""Remove-and-add is a transaction (ops/readd.py): V and M gather what adding the
download back needs, remove it, add it again; on any failure it is added back as it
was (paused) and the user is told in one sentence: the fake daemon fails each step
in turn (tests/daemon/test_verify_readd.py: the same on the real aria2c)."""

from __future__ import annotations

import base64
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.model.bencode import info_hash
from aria2_top.ops import readd
from aria2_top.ui.app import Aria2TopApp
from tests.support.fake_daemon import FakeDaemon
from tests.support.payloads import make_torrent
from tests.support.ui import app_for, notices, until

SIZE = (120, 35)


# --- the fake daemon fails each step in turn ------------------------------------------


@dataclass(frozen=True)
class Fault:
    method: str
    fault: str
    said: str
    """What the notice says."""
    done: bool
    """The check goes ahead (else the download is as it was)."""


FAULTS = [
    # Gathering: nothing is removed.
    Fault("aria2.getOption", "refuse", "aria2 would not describe it", False),
    Fault("aria2.getOption", "wrong-type", "aria2 described it wrongly", False),
    Fault("aria2.getOption", "stall", "aria2 did not answer", False),
    Fault("aria2.getOption", "drop", "aria2 did not answer", False),
    # Removing: refused or unanswered, it stays; removed with the answer lost, on.
    Fault("aria2.forceRemove", "refuse", "aria2 refused to stop it", False),
    Fault("aria2.forceRemove", "wrong-type", "aria2 did not take the removal", False),
    Fault("aria2.forceRemove", "stall", "aria2 did not take the removal", False),
    Fault("aria2.forceRemove", "drop", "aria2 did not take the removal", False),
    Fault("aria2.forceRemove", "lost-reply", "verifying Album: aria2 checks", True),
    # Adding again: added back as it was, paused; taken with the answer lost, on.
    Fault("aria2.addTorrent", "refuse", "added back as it was, paused", False),
    Fault("aria2.addTorrent", "wrong-type", "added back as it was, paused", False),
    Fault("aria2.addTorrent", "stall", "added back as it was, paused", False),
    Fault("aria2.addTorrent", "drop", "added back as it was, paused", False),
    Fault("aria2.addTorrent", "lost-reply", "verifying Album: aria2 checks", True),
]


def _fake_torrent(fake: FakeDaemon, tmp_path: Path) -> tuple[str, str, Path]:
    """A paused torrent on the fake daemon whose folder is here, with the .torrent
    saved in it as aria2 does: (its GID, its info hash, the folder)."""
    folder = tmp_path / "dl"
    folder.mkdir()
    torrent = make_torrent(tmp_path / "seed", {"a.bin": 30_000, "b.bin": 20_000}, name="Album")
    encoded = base64.b64encode(torrent).decode()
    options = {"dir": str(folder), "pause": "true", "select-file": "2"}
    with fake.lock:
        gid = fake.call("aria2.addTorrent", [encoded, [], options])
    return gid, info_hash(torrent), folder


def _held(fake: FakeDaemon, hash_: str) -> list[dict[str, str]]:
    with fake.lock:
        return [dict(d) for d in fake.downloads.values() if d.get("infoHash") == hash_]


def _fake_app(fake: FakeDaemon, tmp_path: Path) -> Aria2TopApp:
    endpoint = Endpoint(fake.url, "fake-secret", "fake", local=True)
    return app_for(endpoint, tmp_path, timeout=1.0)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.method[6:]}-{f.fault}")
async def test_each_step_failing_leaves_the_download_and_says_so(
    fake: FakeDaemon, tmp_path: Path, fault: Fault
) -> None:
    gid, hash_, _folder = _fake_torrent(fake, tmp_path)
    app = _fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.fail_once(fault.method, fault.fault)
        await pilot.press("V")
        await until(pilot, lambda: fault.said in notices(app), fault.said, timeout=30)
        assert "not found" not in notices(app) and "Traceback" not in notices(app)
        await until(pilot, lambda: not app.unfinished.pending, "the transaction's end")
    held = _held(fake, hash_)
    assert len(held) == 1, "one download of the torrent, never none, never two"
    (now,) = held
    if fault.done:
        assert now["gid"] != gid and now.get("verifyIntegrityPending") == "true"
    else:
        assert now["status"] == "paused"
    with fake.lock:
        assert fake.options[now["gid"]].get("select-file") == "2", "its options came back"


async def test_when_aria2_takes_it_back_neither_way_the_torrent_is_rescued(
    fake: FakeDaemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readd, "ADD_BACK_DEADLINE", 1.0)
    _gid, hash_, _folder = _fake_torrent(fake, tmp_path)
    app = _fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        for _ in range(50):
            fake.fail_once("aria2.addTorrent", "refuse")
        await pilot.press("V")
        said = "took it back neither way"
        await until(pilot, lambda: said in notices(app), said, timeout=30)
    assert _held(fake, hash_) == []
    (rescued,) = (tmp_path / "data" / "rescued").glob("*.torrent")
    assert info_hash(rescued.read_bytes()) == hash_
    assert str(rescued) in notices(app).replace("\n", "")
    assert stat.S_IMODE(rescued.stat().st_mode) == 0o600
    options = rescued.with_suffix(".options").read_text()
    assert " select-file=2" in options and " dir=" in options


async def test_quitting_mid_transaction_adds_the_download_back_first(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """q while the download is out of aria2: the app says it waits, adds it back, then
    quits; closed from outside (SIGTERM, a closed terminal), it adds it back on the
    way out and says on the terminal what became of it."""
    _gid, hash_, _folder = _fake_torrent(fake, tmp_path)
    app = _fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.fail_once("aria2.addTorrent", "stall")
        await pilot.press("V")
        await until(pilot, lambda: bool(app.unfinished.pending), "the transaction under way")
        await pilot.press("q")
        await until(pilot, lambda: "quitting once this ends" in notices(app), "said")
    assert [d["status"] for d in _held(fake, hash_)] == ["paused"]

    app = _fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.fail_once("aria2.addTorrent", "stall")
        await pilot.press("V")
        await until(pilot, lambda: bool(app.unfinished.pending), "the transaction under way")
        app.exit()
    assert [d["status"] for d in _held(fake, hash_)] == ["paused"]
    assert any("added back as it was, paused" in note for note in app.exit_notes)
