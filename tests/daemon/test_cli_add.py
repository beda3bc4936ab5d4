"""`aria2-top add` as a shell user (or a magnet-link handler) runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aria2_top.config.settings import DEFAULT_RPC_URL
from aria2_top.daemon.endpoint import something_answers
from aria2_top.daemon.process import RunningDaemon, find_running_private_daemon
from tests.support.files import FileServer
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient


def _add(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aria2_top", "add", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def _to(daemon: RunningDaemon) -> list[str]:
    return ["--rpc-url", daemon.url, "--secret", daemon.secret]


async def test_add_prints_gids(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("cli.bin", 4096)
    mirror = files.make_file("cli-mirror.bin", 4096)
    torrent = tmp_path / "t.torrent"
    torrent.write_bytes(make_torrent(tmp_path / "src", {"f.txt": 100}, "cli-torrent"))
    magnet = "magnet:?xt=urn:btih:" + "ef" * 20
    result = _add(
        f"{url} {mirror}",
        str(torrent),
        magnet,
        "--paused",
        "--dir",
        str(tmp_path / "d"),
        *_to(daemon),
    )
    assert result.returncode == 0, result.stderr
    gids = result.stdout.split()
    assert len(gids) == 3
    first = await client.tell_status(gids[0], ["status", "dir", "files"])
    assert first["status"] == "paused" and first["dir"] == str(tmp_path / "d")
    assert [u["uri"] for u in first["files"][0]["uris"]] == [url, mirror]
    second = await client.tell_status(gids[1], ["bittorrent"])
    assert second["bittorrent"]["info"]["name"] == "cli-torrent"


async def test_add_out_and_top(
    daemon: RunningDaemon, client: TestClient, files: FileServer
) -> None:
    old = await client.add_uri([files.make_file("old.bin", 4096)], {"pause": True})
    result = _add(
        files.make_file("cli-top.bin", 4096), "--out", "y.bin", "--top", "--paused", *_to(daemon)
    )
    assert result.returncode == 0, result.stderr
    (gid,) = result.stdout.split()
    assert [d["gid"] for d in await client.tell_waiting(0, 5, ["gid"])] == [gid, old]
    assert (await client.get_option(gid))["out"] == "y.bin"


async def test_add_failures_are_one_line_and_add_nothing(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    bad = _add(
        files.make_file("fine.bin", 10), "gopher://old", str(tmp_path / "no.torrent"), *_to(daemon)
    )
    assert bad.returncode == 1 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "unknown scheme 'gopher'" in lines[0] and "no such file" in lines[0]
    assert await client.tell_waiting(0, 5) == [] and await client.tell_active() == []
    wrong = _add(files.make_file("fine.bin", 10), "--rpc-url", daemon.url, "--secret", "nope")
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
    assert "authentication failed" in wrong.stderr


async def test_add_starts_and_keeps_the_private_daemon(
    files: FileServer, tmp_path: Path, aria2c_binary: Path
) -> None:
    if await something_answers(DEFAULT_RPC_URL):
        pytest.skip(f"a daemon answers on {DEFAULT_RPC_URL}: aria2-top add would use it")
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DOWNLOAD_DIR": str(tmp_path / "dl"),
        "HOME": str(tmp_path),
    }
    env.pop("ARIA2_RPC_URL", None)
    env.pop("ARIA2_RPC_SECRET", None)
    result = _add(files.make_file("kept.bin", 4096), "--paused", env=env)
    assert result.returncode == 0, result.stderr
    assert "started a private aria2c" in result.stderr
    daemon = await find_running_private_daemon(tmp_path / "data" / "aria2-top")
    assert daemon is not None, "the private daemon keeps running after aria2-top add"
    try:
        async with TestClient(daemon.url, daemon.secret) as rpc:
            assert [
                d["gid"] for d in await rpc.tell_waiting(0, 5, ["gid"])
            ] == result.stdout.split()
        again = _add(files.make_file("second.bin", 4096), "--paused", env=env)
        assert again.returncode == 0 and "started" not in again.stderr  # reused
    finally:
        await daemon.stop()
