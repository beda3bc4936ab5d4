"""The private daemon is shared, never signals a stranger, never writes into a file it
did not start, keeps what the user set, and keeps its secrets to itself — all on a
real aria2c."""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aria2_top.daemon.private import PrivateDaemon, live_leases
from aria2_top.daemon.process import (
    RunningDaemon,
    find_running_private_daemon,
    process_identity,
    start_private_daemon,
    write_state,
)
from aria2_top.ops.add_input import parse_add_text
from aria2_top.ops.adding import add_all
from aria2_top.ops.existing import existing_on_local_daemon
from tests.conftest import DaemonFactory
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.terminal import TerminalApp, start_process, user_environment
from tests.support.waiting import wait_for_status, wait_until

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and modes"),
    pytest.mark.daemon,
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _alive(daemon: RunningDaemon) -> bool:
    try:
        async with TestClient(daemon.url, daemon.secret, timeout=2.0) as rpc:
            await rpc.get_version()
    except Exception:  # noqa: BLE001 - any failure means not answering
        return False
    return True


@pytest.fixture
def dirs(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    state, downloads = tmp_path / "data", tmp_path / "downloads"
    yield state, downloads
    daemon = None
    if (state / "daemon.json").exists():
        daemon = json.loads((state / "daemon.json").read_text())
    if daemon and process_identity(daemon["pid"]) == daemon.get("identity"):
        os.kill(daemon["pid"], 9)  # a test that failed half-way: leave nothing running


async def test_two_apps_in_two_terminals_share_one_daemon(
    tmp_path: Path, files: FileServer, aria2c_binary: Path
) -> None:
    """Quitting the first aria2-top leaves the daemon to the second, which goes on
    working; quitting the second stops it."""
    env = user_environment(tmp_path)
    env["ARIA2_RPC_SECRET"] = "never-passed-on"
    state = tmp_path / "data" / "aria2-top"
    first = TerminalApp(env)
    second = None
    try:

        async def shown(app: TerminalApp, words: str) -> bool:
            return words in app.output

        await wait_until(lambda: shown(first, "● connected"), what="the first app connected")
        second = TerminalApp(env)
        await wait_until(lambda: shown(second, "● connected"), what="the second app connected")
        daemon = await find_running_private_daemon(state)
        assert daemon is not None and len(live_leases(state)) == 2
        first.press("q")
        assert first.process.wait(30) == 0
        assert await _alive(daemon), "the daemon stays for the second app"
        async with TestClient(daemon.url, daemon.secret) as rpc:
            await rpc.add_uri([files.make_file("after-first-quit.bin", 4096)], {"pause": True})
        await wait_until(
            lambda: shown(second, "after-first-quit.bin"), what="the second app still works"
        )
        environ = Path(f"/proc/{daemon.pid}/environ").read_bytes()
        assert b"never-passed-on" not in environ and b"ARIA2_RPC" not in environ
        second.press("q")
        assert second.process.wait(30) == 0

        async def stopped() -> bool:
            return daemon.exited()

        await wait_until(stopped, what="the last app out to stop the daemon")
        assert not (state / "daemon.json").exists() and live_leases(state) == []
    finally:
        for app in (first, second):
            if app is not None:
                app.close()


async def test_a_killed_app_does_not_hold_the_daemon(dirs: tuple[Path, Path]) -> None:
    state, downloads = dirs
    first = await PrivateDaemon.attach(state, downloads)
    # A lease of a process that is gone (killed, crashed) counts for nothing.
    gone = start_process(sys.executable, "-c", "pass")
    gone.wait()
    (state / "leases" / "dead.json").write_text(json.dumps({"pid": gone.pid, "identity": "1"}))
    assert await first.release()
    assert first.daemon.exited()


async def test_a_recycled_pid_is_never_signalled(dirs: tuple[Path, Path]) -> None:
    """The state file names a PID that now belongs to another process: it is not
    taken for the daemon, and quitting never sends it a signal."""
    state, downloads = dirs
    stranger = start_process(sys.executable, "-c", "import time; time.sleep(60)")
    try:
        daemon = await start_private_daemon(state, downloads)
        await daemon.stop()
        # The daemon is gone; its PID "comes back" as an unrelated process.
        impostor = RunningDaemon(
            url=daemon.url,
            secret=daemon.secret,
            pid=stranger.pid,
            state_dir=state,
            identity=daemon.identity,
        )
        write_state(impostor)
        assert not impostor.is_ours()
        assert await find_running_private_daemon(state) is None
        # Even with the stranger's own start time, its command line is not our aria2c.
        lookalike = RunningDaemon(
            url=daemon.url,
            secret=daemon.secret,
            pid=stranger.pid,
            state_dir=state,
            identity=process_identity(stranger.pid),
        )
        assert not lookalike.is_ours()
        await lookalike.stop(timeout=1.0)
        lookalike.kill()
        assert stranger.poll() is None, "the unrelated process is still running"
    finally:
        stranger.kill()
        stranger.wait()


async def test_an_existing_file_is_never_written_into(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    """Even on a daemon configured with continue=true, an Add never merges a file of
    the same name into a download: HTTP saves under a new name, a torrent stops."""
    daemon = await daemons.start(options={"continue": "true"})
    folder = tmp_path / "daemon0" / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    mine = folder / "report.bin"
    mine.write_bytes(b"mine" * 25_000)
    url = files.make_file("report.bin", 300_000)
    torrent = make_torrent(tmp_path / "src", {"a.bin": 50_000}, name="album")
    (folder / "album").mkdir()
    (folder / "album" / "a.bin").write_bytes(b"also mine")
    torrent_file = tmp_path / "album.torrent"
    torrent_file.write_bytes(torrent)
    items, problems = parse_add_text(f"{url}\n{torrent_file}")
    assert not problems
    async with TestClient(daemon.url, daemon.secret) as rpc:
        warnings = await existing_on_local_daemon(rpc, items, {})
        assert len(warnings) == 2 and "report.bin already exists" in warnings[0]
        outcome = await add_all(rpc, items)
        http, bt = outcome.gids
        assert await wait_for_status(rpc, http, {"complete"}) == "complete"
        assert await wait_for_status(rpc, bt, {"error"}) == "error"
        saved = (await rpc.get_files(http))[0]["path"]
    assert mine.read_bytes() == b"mine" * 25_000
    assert (folder / "album" / "a.bin").read_bytes() == b"also mine"
    assert Path(saved) == folder / "report.1.bin"
    assert Path(saved).stat().st_size == 300_000


async def test_own_partial_downloads_resume_and_failed_ones_wait(
    dirs: tuple[Path, Path], files: FileServer
) -> None:
    """Across a restart: a half-done download resumes from its control file; a failed
    one comes back paused instead of being retried on its own."""
    state, downloads = dirs
    url = files.make_file("resume.bin", 2 << 20)
    daemon = await start_private_daemon(state, downloads)
    async with TestClient(daemon.url, daemon.secret) as rpc:
        gid = await rpc.add_uri([url], {"max-download-limit": "200K"})
        failed = await rpc.add_uri([files.url("missing/nothing.bin")])
        await wait_for_status(rpc, failed, {"error"})

        async def done() -> int:
            return int((await rpc.tell_status(gid, ["completedLength"]))["completedLength"])

        await wait_until(done, lambda n: n > 200_000, what="some progress")
    await daemon.stop()
    assert "pause=true" in (state / "aria2c.session").read_text()

    again = await start_private_daemon(state, downloads)
    try:
        async with TestClient(again.url, again.secret) as rpc:
            assert (await rpc.tell_status(failed, ["status"]))["status"] == "paused"
            await rpc.change_option(gid, {"max-download-limit": "0"})
            await wait_for_status(rpc, gid, {"complete"})
            status = await rpc.tell_status(gid, ["files"])
        path = Path(status["files"][0]["path"])
        assert path == downloads / "resume.bin"
        assert path.read_bytes() == (files.root / "resume.bin").read_bytes()
    finally:
        await again.stop()


async def test_what_the_user_set_survives_a_restart(dirs: tuple[Path, Path]) -> None:
    state, downloads = dirs
    first = await PrivateDaemon.attach(state, downloads)
    first.remember_options(
        {"max-overall-download-limit": "2097152", "rpc-secret": "hijack", "dir": str(downloads)}
    )
    assert await first.release()
    again = await PrivateDaemon.attach(state, downloads)
    try:
        async with TestClient(again.daemon.url, again.daemon.secret) as rpc:
            options = await rpc.get_global_option()
        assert options["max-overall-download-limit"] == "2097152"
        assert again.daemon.secret != "hijack"  # the daemon's own options are not ours to keep
    finally:
        await again.release()


async def test_the_data_folder_is_private(dirs: tuple[Path, Path], files: FileServer) -> None:
    state, downloads = dirs
    private = await PrivateDaemon.attach(state, downloads)
    async with TestClient(private.daemon.url, private.daemon.secret) as rpc:
        await rpc.add_uri([files.url("x.bin").replace("//", "//user:pw@")], {"pause": True})
    await private.daemon.save_session()
    private.remember_options({"max-overall-upload-limit": "1024"})
    assert _mode(state) == 0o700
    for path in [p for p in state.rglob("*") if p.is_file()]:
        assert _mode(path) == 0o600, path
    assert "user:pw@" in (state / "aria2c.session").read_text()
    await private.release()
    session = state / "aria2c.session"
    assert _mode(session) == 0o600  # written again by aria2 on exit, made private again


async def test_a_closed_terminal_still_stops_the_private_daemon(tmp_path: Path) -> None:
    """The window closes (SIGHUP, and every write to the terminal fails): the app quits,
    stops its private aria2c all the same, and writes no crash report."""
    env = user_environment(tmp_path)
    state = tmp_path / "data" / "aria2-top"
    app = TerminalApp(env)
    daemon = None
    try:

        async def connected() -> bool:
            return "● connected" in app.output

        await wait_until(connected, what="the app connected")
        daemon = await find_running_private_daemon(state)
        assert daemon is not None
        os.close(app._master)  # the terminal goes away, and hangs up on the app
        app._master = os.open(os.devnull, os.O_RDONLY)  # for close() at the end
        app.process.send_signal(signal.SIGHUP)

        async def app_ended() -> bool:
            return app.process.poll() is not None

        await wait_until(app_ended, what="the app to quit")

        async def stopped() -> bool:
            return daemon.exited()

        await wait_until(stopped, what="the private daemon stopped")
        assert list(state.glob("crash-*.txt")) == []
    finally:
        app.close()
        if daemon is not None and daemon.pid and not daemon.exited():
            os.kill(daemon.pid, signal.SIGKILL)  # the test failed: leave nothing running
