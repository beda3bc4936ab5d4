"""V on the real daemon: a paused torrent that never started is verified and stays
paused; the file selection and options are kept through the re-add."""

from __future__ import annotations

from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.bencode import info_hash
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.ui import app_for, notices, until
from tests.support.waiting import wait_until

SIZE = (120, 35)


PIECE = 16384


def _corrupt(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))


async def _of_hash(client: TestClient, hash_: str) -> list[dict[str, str]]:
    """Every download aria2 holds of info hash ``hash_``."""
    keys = ["gid", "status", "infoHash"]
    everything = [
        *await client.tell_active(keys),
        *await client.tell_waiting(0, 1000, keys),
        *await client.tell_stopped(0, 1000, keys),
    ]
    return [d for d in everything if d.get("infoHash") == hash_]


async def test_verify_a_paused_torrent_that_never_started(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    """The bug: V removed it (aria2 forgets a queued download at once) and then failed
    on 'GID … is not found', adding nothing back. Now it is checked (the corrupted
    piece is not among those it has) and paused again, at its place in the queue."""
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"track.flac": 200_000}, name="Paused one", piece_size=PIECE)
    _corrupt(seed / "Paused one" / "track.flac", 5 * PIECE + 3)
    hash_ = info_hash(torrent)
    first = await client.add_torrent(
        make_torrent(tmp_path / "other", {"x.bin": 10_000}, name="Ahead"), options={"pause": True}
    )
    gid = await client.add_torrent(torrent, options={"dir": str(seed), "pause": True})
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 2, "the rows")
        await pilot.press("backslash", *"Paused", "enter", "V")
        await until(
            pilot,
            lambda: (
                "Paused one: the 12 pieces it has are good (13 in all); paused again, as it was"
                in notices(app)
            ),
            "what the check found",
            timeout=30,
        )
        assert "not found" not in notices(app)
    held = await _of_hash(client, hash_)
    assert len(held) == 1 and held[0]["gid"] != gid
    assert held[0]["status"] == "paused"
    waiting = [d["gid"] for d in await client.tell_waiting(0, 10, ["gid"])]
    assert waiting == [first, held[0]["gid"]], "back at its place in the queue"


async def test_verify_keeps_the_file_selection_and_options(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    torrent = make_torrent(seed, {"a.bin": 40_000, "b.bin": 30_000}, name="Selected")
    gid = await client.add_torrent(
        torrent,
        options={
            "dir": str(seed),
            "select-file": "2",
            "max-download-limit": "123K",
            "check-integrity": "true",
            "seed-time": "0",
        },
    )
    await wait_until(
        lambda: client.tell_status(gid, ["status"]),
        lambda s: s["status"] == "complete",
        what="complete",
    )
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("V")
        await until(pilot, lambda: "Selected: verified" in notices(app), "checked", timeout=30)
    (again,) = await _of_hash(client, info_hash(torrent))
    options = await client.get_option(again["gid"])
    assert options["select-file"] == "2" and options["max-download-limit"] == str(123 << 10)
    assert options["dir"] == str(seed)
