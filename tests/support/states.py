"""Every state a download can be in, on one real aria2c: the world the action × state
matrix (tests/daemon/test_action_state_matrix.py) acts on.

Downloads of URIs come from the session's file server, throttled with aria2's own
limits; torrents are made here. The *checking* one is a small torrent whose check
waits behind a large one being hashed (a sparse file of zeros: its pieces' hashes
are known without reading it), so it stays *checking* while a test acts on it.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.model.bencode import bencode, info_hash
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.waiting import wait_for_status, wait_until

SLOW = "20K"
STATES = (
    "active",
    "waiting",
    "paused, never started",
    "paused, partly done",
    "complete",
    "seeding",
    "error",
    "removed",
    "metadata",
    "checking",
    "follow-up",
)
"""The states a download can be in, as the matrix names them."""
TORRENTS = frozenset({"paused, never started", "seeding", "metadata", "checking", "follow-up"})
BLOCKER_SIZE = 2 << 30
"""Bytes of zeros the check that keeps *checking* waiting hashes (a few seconds)."""


@dataclass
class World:
    """The downloads of every state on one daemon: each one's GID, and what names it
    whatever its GID (its URI, or a torrent's info hash)."""

    client: TestClient
    folder: Path
    """The daemon's download folder."""
    gids: dict[str, str] = field(default_factory=dict)
    identity: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    blocker: str = ""
    """The large check that keeps *checking* waiting (removed once it has served)."""
    paths: dict[str, list[Path]] = field(default_factory=dict)
    """Where each state's files and control file are (or would be)."""

    def files_of(self, state: str) -> set[Path]:
        """The files of ``state`` on disk now."""
        return {path for path in self.paths.get(state, []) if path.exists()}

    async def count(self, state: str) -> int:
        """How many downloads aria2 holds of ``state``'s URI or torrent, in any state."""
        return len(await self.holding(state))

    async def holding(self, state: str) -> list[dict[str, str]]:
        keys = ["gid", "status", "infoHash", "files"]
        everything = [
            *await self.client.tell_active(keys),
            *await self.client.tell_waiting(0, 1000, keys),
            *await self.client.tell_stopped(0, 1000, keys),
        ]
        wanted = self.identity[state]
        return [d for d in everything if d["gid"] != self.blocker and _identity(d) == wanted]

    def on_disk(self) -> dict[str, int]:
        """Every file under the download folder and its size (the saved .torrent
        files of aria2 left out)."""
        return {
            str(path.relative_to(self.folder)): path.stat().st_size
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and not path.name.endswith(".torrent")
        }


def _identity(struct: dict[str, object]) -> str:
    hash_ = struct.get("infoHash")
    if isinstance(hash_, str) and hash_:
        return hash_
    files = struct.get("files")
    if isinstance(files, list) and files:
        uris = files[0].get("uris") or []
        if uris:
            return str(uris[0]["uri"])
    return ""


def zeros_torrent(name: str, size: int, piece: int = 4 << 20) -> bytes:
    """A single-file torrent of ``size`` zero bytes (hashed without reading a file)."""
    count = -(-size // piece)
    last = size - (count - 1) * piece
    pieces = hashlib.sha1(bytes(piece)).digest() * (count - 1) + hashlib.sha1(bytes(last)).digest()
    info = {b"name": name.encode(), b"length": size, b"piece length": piece, b"pieces": pieces}
    return bencode({b"info": {**info, b"private": 1}, b"announce": b"http://127.0.0.1:9/a"})


async def build_world(
    client: TestClient, folder: Path, files: FileServer, tmp: Path, tag: str
) -> World:
    """Every state of :data:`STATES` on the daemon of ``client`` (whose download folder
    is ``folder``), except *checking*: :func:`start_checking` adds it, last. ``tag``
    keeps the served files of one test apart from another's."""
    world = World(client, folder)

    async def uri(state: str, name: str, size: int, options: dict[str, str]) -> str:
        url = files.make_file(f"{tag}/{name}", size) if size else files.url(f"{tag}/{name}")
        gid = await client.add_uri([url], options)
        world.gids[state], world.identity[state], world.names[state] = gid, url, name
        world.paths[state] = [folder / name, folder / f"{name}.aria2"]
        return gid

    async def torrent(state: str, data: bytes, name: str, options: dict[str, str]) -> str:
        gid = await client.add_torrent(data, options=options)
        world.gids[state], world.identity[state], world.names[state] = gid, info_hash(data), name
        return gid

    done = await uri("complete", "complete.bin", 64 << 10, {})
    failed = await uri("error", "missing.bin", 0, {})
    gone = await uri("removed", "removed.bin", 1 << 20, {"max-download-limit": SLOW})
    partly = await uri("paused, partly done", "partly.bin", 1 << 20, {"max-download-limit": SLOW})
    await wait_for_status(client, done, {"complete"})
    await wait_for_status(client, failed, {"error"})
    for gid, name in ((gone, "removed.bin"), (partly, "partly.bin")):
        await _some_bytes(client, gid, folder / f"{name}.aria2")
    await client.remove(gone)
    await client.pause(partly)
    await wait_for_status(client, gone, {"removed"})
    await wait_for_status(client, partly, {"paused"})

    seed = tmp / f"{tag}-seed"
    album = {"01 intro.flac": 40_000, "02 song.flac": 30_000}
    await torrent(
        "paused, never started",
        make_torrent(tmp / f"{tag}-unstarted", album, name="Unstarted album"),
        "Unstarted album",
        {"pause": "true"},
    )
    seeding = await torrent(
        "seeding",
        make_torrent(seed, {"a.bin": 50_000, "b/c.bin": 20_000}, name="Seeded"),
        "Seeded",
        {"dir": str(seed), "check-integrity": "true", "seed-time": "9999"},
    )
    magnet_hash = hashlib.sha1(f"{tag} metadata".encode()).hexdigest()
    magnet = await client.add_uri([f"magnet:?xt=urn:btih:{magnet_hash}&dn=Only+a+magnet"])
    world.gids["metadata"], world.identity["metadata"] = magnet, magnet_hash
    world.names["metadata"] = "Only a magnet"
    child_torrent = make_torrent(
        tmp / f"{tag}-child", {"x.bin": 30_000, "y.bin": 20_000}, name="Followed up"
    )
    (files.root / tag).mkdir(parents=True, exist_ok=True)
    (files.root / tag / "follow.torrent").write_bytes(child_torrent)
    parent = await client.add_uri([files.url(f"{tag}/follow.torrent")])
    child = await _followed_by(client, parent)
    world.gids["follow-up"], world.identity["follow-up"] = child, info_hash(child_torrent)
    world.names["follow-up"] = "Followed up"
    await _until_status(client, seeding, lambda s: s.get("seeder") == "true", "seeding")
    await uri("active", "active.bin", 1 << 20, {"max-download-limit": SLOW})
    await wait_for_status(client, world.gids["active"], {"active"})
    running = len(await client.tell_active(["gid"]))
    await client.change_global_option({"max-concurrent-downloads": str(running + 2)})
    world.names["waiting"] = "waiting.bin"
    world.paths["waiting"] = [folder / "waiting.bin", folder / "waiting.bin.aria2"]
    unstarted = folder / "Unstarted album"
    world.paths["paused, never started"] = [unstarted / name for name in album]
    world.paths["seeding"] = [seed / "Seeded" / "a.bin", seed / "Seeded" / "b" / "c.bin"]
    followed = folder / "Followed up"
    world.paths["follow-up"] = [
        followed / "x.bin",
        followed / "y.bin",
        folder / "Followed up.aria2",
    ]
    world.identity["waiting"] = files.make_file(f"{tag}/waiting.bin", 1 << 20)
    return world


async def start_checking(world: World, tmp: Path, tag: str) -> None:
    """The *checking* download, and the large check it waits behind; then *waiting*,
    which waits for a slot (every slot is taken once both run)."""
    client = world.client
    zeros = tmp / f"{tag}-zeros"
    zeros.mkdir()
    with (zeros / "zeros.bin").open("wb") as handle:
        handle.truncate(BLOCKER_SIZE)
    world.blocker = await client.add_torrent(
        zeros_torrent("zeros.bin", BLOCKER_SIZE),
        options={"dir": str(zeros), "check-integrity": "true"},
    )
    seed = tmp / f"{tag}-checked"
    data = make_torrent(seed, {"checked.bin": 40_000}, name="Checked")
    gid = await client.add_torrent(data, options={"dir": str(seed), "check-integrity": "true"})
    world.gids["checking"], world.identity["checking"] = gid, info_hash(data)
    world.names["checking"] = "Checked"
    world.paths["checking"] = [seed / "Checked" / "checked.bin"]
    await _until_status(
        client, gid, lambda s: s.get("verifyIntegrityPending") == "true", "checking"
    )
    running = len(await client.tell_active(["gid"]))
    await client.change_global_option({"max-concurrent-downloads": str(running)})
    waiting = await client.add_uri([world.identity["waiting"]], {"max-download-limit": SLOW})
    world.gids["waiting"] = waiting
    await wait_for_status(client, waiting, {"waiting"})


async def stop_checking(world: World) -> None:
    """Remove the large check (it has served): its hashing stops."""
    client = world.client
    if world.blocker:
        if (await client.tell_status(world.blocker, ["status"]))["status"] == "active":
            await client.force_remove(world.blocker)
        await wait_for_status(client, world.blocker, {"removed", "complete", "error"})
        await client.remove_download_result(world.blocker)
        world.blocker = ""


async def _some_bytes(client: TestClient, gid: str, control: Path) -> None:
    """Until ``gid`` has written some bytes and its control file."""

    async def progress() -> tuple[int, bool]:
        done = int((await client.tell_status(gid, ["completedLength"]))["completedLength"])
        return done, control.exists()

    await wait_until(progress, lambda p: p[0] > 0 and p[1], what="some bytes and a control file")


async def _followed_by(client: TestClient, parent: str) -> str:
    status = await wait_until(
        lambda: client.tell_status(parent, ["followedBy", "status"]),
        lambda s: bool(s.get("followedBy")),
        what="the follow-up download",
    )
    return str(status["followedBy"][0])


async def _until_status(
    client: TestClient, gid: str, accept: Callable[[dict[str, str]], bool], what: str
) -> None:
    await wait_until(lambda: client.tell_status(gid), accept, what=what)


async def settle(seconds: float, check: Callable[[], Awaitable[bool]]) -> bool:
    """Whether ``check`` holds within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False
