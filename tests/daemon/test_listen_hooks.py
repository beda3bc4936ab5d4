"""``aria2-top listen`` on a real aria2c: a hook per end (complete, error), run once;
the ends reached while listen was stopped are caught up on; a restart of aria2c is
waited out; and never twice for one end."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aria2_top.daemon.process import free_port
from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.shell import to
from tests.support.waiting import wait_for_status, wait_until

HOOK = """import json, os, sys
with open(sys.argv[1], "a") as out:
    env = {k: v for k, v in os.environ.items() if k.startswith("ARIA2_")}
    out.write(json.dumps({"args": sys.argv[2:], "env": env}) + "\\n")
"""


def _runs(out: Path) -> list[dict[str, Any]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines()]


def _primed() -> int:
    """How many hooks listen has primed (it has looked at the daemon once)."""
    path = Path(os.environ["XDG_DATA_HOME"]) / "aria2-top" / "hooks.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        try:
            return int(db.execute("SELECT count(*) FROM primed").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


@asynccontextmanager
async def _listening(args: list[str]) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aria2_top",
        "listen",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)


async def test_hooks_run_once_across_restarts(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    port = free_port()
    daemon = await daemons.start(name="d", port=port, keep_session=True)
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK)
    out = tmp_path / "runs.jsonl"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(hook))} {shlex.quote(str(out))}"
    args = ["--on-complete", command, "--on-error", command, *to(daemon)]

    async def ran(gid: str, event: str) -> bool:
        return any(
            r["env"]["ARIA2_GID"] == gid and r["env"]["ARIA2_EVENT"] == event for r in _runs(out)
        )

    async with TestClient(daemon.url, daemon.secret) as client:
        before = await client.add_uri([files.make_file("hook-before.bin", 2048)])
        await wait_for_status(client, before, {"complete"})
        async with _listening(args) as listen:
            await wait_until(lambda: asyncio.sleep(0, _primed()), lambda n: n == 2, what="primed")
            done = await client.add_uri([files.make_file("hook-done.bin", 4096)])
            failed = await client.add_uri(["http://127.0.0.1:9/refused.iso"])
            await wait_until(lambda: ran(done, "complete"), what="the complete hook")
            await wait_until(lambda: ran(failed, "error"), what="the error hook")
            assert listen.returncode is None
        # Stopped: an end meanwhile is caught up on at the next start.
        meanwhile = await client.add_uri([files.make_file("hook-meanwhile.bin", 4096)])
        await wait_for_status(client, meanwhile, {"complete"})
    async with _listening(args) as listen:
        await wait_until(lambda: ran(meanwhile, "complete"), what="the caught-up hook")
        # aria2c restarts (its session brings back what was unfinished) under listen.
        async with TestClient(daemon.url, daemon.secret) as client:
            slow = await client.add_uri(
                [files.make_file("hook-slow.bin", 1 << 20)], {"max-download-limit": SLOW}
            )
            await client.save_session()
        daemon.kill()
        daemon = await daemons.start(name="d", port=port, keep_session=True)
        async with TestClient(daemon.url, daemon.secret) as client:
            await client.change_option(slow, {"max-download-limit": "0"})
            await wait_for_status(client, slow, {"complete"})
            await wait_until(lambda: ran(slow, "complete"), what="the hook after the restart")
        assert listen.returncode is None
    runs = _runs(out)
    ends = [(r["env"]["ARIA2_GID"], r["env"]["ARIA2_EVENT"]) for r in runs]
    assert sorted(ends) == sorted(
        [(done, "complete"), (failed, "error"), (meanwhile, "complete"), (slow, "complete")]
    ), "each end once, none for what had ended before the first listen"
    first = next(r for r in runs if r["env"]["ARIA2_GID"] == done)
    path = first["env"]["ARIA2_PATH"]
    assert first["args"] == [done, "hook-done.bin", path, daemon.url]
    assert path.endswith("/hook-done.bin") and first["env"]["ARIA2_STATUS"] == "complete"
    error = next(r for r in runs if r["env"]["ARIA2_GID"] == failed)
    assert "Connection refused" in error["env"]["ARIA2_ERROR"]
