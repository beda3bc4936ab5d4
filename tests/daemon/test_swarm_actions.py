"""Actions on a torrent of a real loopback swarm (a tracker on 127.0.0.1, a seeding
aria2c and a leeching one): verify finds corrupted pieces and the swarm mends them,
a move while seeding seeds on from the new folder, and a retry after the seeder
comes back finishes the download."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aria2_top.daemon.process import RunningDaemon
from aria2_top.model.bencode import info_hash
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from tests.conftest import DaemonFactory
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker
from tests.support.ui import app_for, notices, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (140, 40)
PIECE = 16384
FILE = "take.mkv"


@dataclass
class SmallSwarm:
    seeder: RunningDaemon
    leecher: RunningDaemon
    torrent: bytes
    seed_data: Path
    """Where the seeder's copy is: ``<seed_data>/film/take.mkv``."""

    @property
    def original(self) -> bytes:
        return (self.seed_data / "film" / FILE).read_bytes()

    async def seed(self) -> None:
        async with TestClient(self.seeder.url, self.seeder.secret) as rpc:
            await rpc.add_torrent(
                self.torrent, options={"dir": str(self.seed_data), "check-integrity": "true"}
            )


async def small_swarm(daemons: DaemonFactory, tracker: Tracker, tmp_path: Path) -> SmallSwarm:
    data = tmp_path / "seed-data"
    files = {FILE: 24 * PIECE + 100}
    torrent = make_torrent(data, files, name="film", tracker=tracker.url, piece_size=PIECE)
    seeder = await daemons.peer("seeder")
    leecher = await daemons.peer("leecher")
    return SmallSwarm(seeder, leecher, torrent, data)


def _corrupt(path: Path, offsets: list[int]) -> None:
    with path.open("r+b") as handle:
        for offset in offsets:
            handle.seek(offset)
            byte = handle.read(1)
            handle.seek(offset)
            handle.write(bytes([byte[0] ^ 0xFF]))


async def _leeched(swarm: SmallSwarm, rpc: TestClient) -> tuple[str, Path]:
    """The leecher's whole copy (seeding on): its GID and its file."""
    await swarm.seed()
    gid = await rpc.add_torrent(swarm.torrent)
    await wait_until(
        lambda: rpc.tell_status(gid, ["completedLength", "totalLength"]),
        lambda s: s["totalLength"] != "0" and s["completedLength"] == s["totalLength"],
        what="the whole file from the seeder",
        timeout=40,
    )
    folder = Path((await rpc.tell_status(gid, ["dir"]))["dir"])
    return gid, folder / "film" / FILE


async def _of_hash(rpc: TestClient, hash_: str) -> list[dict[str, str]]:
    keys = ["gid", "status", "infoHash", "dir", "completedLength", "totalLength"]
    everything = [
        *await rpc.tell_active(keys),
        *await rpc.tell_waiting(0, 100, keys),
        *await rpc.tell_stopped(0, 100, keys),
    ]
    return [d for d in everything if d.get("infoHash") == hash_]


async def test_verify_finds_the_corrupted_pieces_and_the_swarm_mends_them(
    daemons: DaemonFactory, tracker: Tracker, tmp_path: Path
) -> None:
    swarm = await small_swarm(daemons, tracker, tmp_path)
    async with TestClient(swarm.leecher.url, swarm.leecher.secret) as rpc:
        _gid, path = await _leeched(swarm, rpc)
        _corrupt(path, [3 * PIECE + 7, 17 * PIECE])
        assert path.read_bytes() != swarm.original
        app = app_for(swarm.leecher, tmp_path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
            await pilot.press("V")
            await until(pilot, lambda: "2 of 25 pieces bad" in notices(app), "the verdict", 40)
            hash_ = info_hash(swarm.torrent)

            async def mended() -> bool:
                held = await _of_hash(rpc, hash_)
                whole = len(held) == 1 and held[0]["completedLength"] == held[0]["totalLength"]
                return whole and path.read_bytes() == swarm.original

            await wait_until(mended, what="the bad pieces fetched again", timeout=40)


async def test_a_move_while_seeding_seeds_on_from_the_new_folder(
    daemons: DaemonFactory, tracker: Tracker, tmp_path: Path
) -> None:
    swarm = await small_swarm(daemons, tracker, tmp_path)
    target = Path.home() / "films"  # typed short: ~/films
    target.mkdir()
    async with TestClient(swarm.leecher.url, swarm.leecher.secret) as rpc:
        _gid, path = await _leeched(swarm, rpc)
        app = app_for(swarm.leecher, tmp_path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
            await until(
                pilot, lambda: [d.status for d in app.dashboard.shown] == ["seeding"], "seeding"
            )
            await pilot.press("M")
            await until(pilot, lambda: isinstance(app.screen, InputDialog), "where to")
            await pilot.press("ctrl+u", *"~/films", "enter")
            await until(pilot, lambda: "moved " in notices(app), "moved", 40)
            moved = target / "film" / FILE
            assert moved.read_bytes() == swarm.original and not path.exists()
            held = await _of_hash(rpc, info_hash(swarm.torrent))
            assert len(held) == 1 and held[0]["dir"] == str(target), held
            await wait_for_status(rpc, held[0]["gid"], {"active"}, timeout=30)  # seeding on
            await until(
                pilot, lambda: [d.status for d in app.dashboard.shown] == ["seeding"], "seeds on"
            )


async def test_a_retry_after_the_seeder_comes_back_finishes_it(
    daemons: DaemonFactory, tracker: Tracker, tmp_path: Path
) -> None:
    swarm = await small_swarm(daemons, tracker, tmp_path)
    async with TestClient(swarm.leecher.url, swarm.leecher.secret) as rpc:
        # No seeder yet: with bt-stop-timeout aria2 gives up (error 7) after 5 s.
        gid = await rpc.add_torrent(swarm.torrent, options={"bt-stop-timeout": "5"})
        await wait_for_status(rpc, gid, {"error"}, timeout=40)
        app = app_for(swarm.leecher, tmp_path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
            await swarm.seed()
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "where to")
            await pilot.press("enter")
            await until(pilot, lambda: "retried 1 download" in notices(app), "retried")
            hash_ = info_hash(swarm.torrent)

            async def finished() -> bool:
                held = [d for d in await _of_hash(rpc, hash_) if d["status"] != "error"]
                return bool(held) and held[0]["completedLength"] == held[0]["totalLength"] != "0"

            await wait_until(finished, what="the whole file once the seeder is back", timeout=40)
            leeched = next(Path(tmp_path).rglob(f"leecher/**/film/{FILE}"))
            assert leeched.read_bytes() == swarm.original
