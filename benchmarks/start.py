"""How long ``aria2-top`` takes to start, the way a user meets it: the command typed
in a terminal, against a real aria2c holding N downloads (10 active and throttled,
10 failed, the rest paused).

    .venv/bin/python benchmarks/start.py                        # N = 10,000
    .venv/bin/python benchmarks/start.py --sizes 10000,100000 --runs 5
    .venv/bin/python benchmarks/start.py --history 100000        # and a big history
    .venv/bin/python benchmarks/start.py --aria2p /tmp/ap/bin/aria2p --floor

Each run opens a new tmux session (160x50, its own server) with a fresh HOME and
XDG folders under /tmp, types ``aria2-top --rpc-url … --secret …`` into its shell,
reads the pane every ~10 ms and notes, from the Enter:

- first rows: a download's row is on screen (aria2-top writes the top of the table
  before the app is loaded: see src/aria2_top/ui/first_rows.py);
- app up: the app's own screen is there (its footer, ``Quit``): keys act from now on
  (keys typed before wait for it);
- all N: the view tab reads ``All 10,000`` (every download in the table).

Then ``q`` and the session ends. It prints the median (and the slowest) of
``--runs`` runs, once with an empty home and, with ``--history K``, once with a
history file of K downloads already in it (the history must never hold up the rows).

Before it measures, it compiles aria2-top's modules to bytecode, as ``pip install``
does (an editable install run with ``PYTHONDONTWRITEBYTECODE`` would compile them at
every start instead). On the same daemon, for comparison, of the first rows only:

- ``--aria2p PATH``: ``aria2p top`` (PATH: the ``aria2p`` command, e.g. of a venv
  made with ``pip install 'aria2p[tui]'``);
- ``--floor``: a Textual app with nothing of aria2-top that shows the names of the
  first downloads from one call (``benchmarks/textual_floor.py``): Textual's own
  start, the least any Textual dashboard takes.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.refresh import populate  # noqa: E402
from tests.support.daemons import start_scratch_daemon  # noqa: E402
from tests.support.files import FileServer  # noqa: E402
from tests.support.rpc import TestClient  # noqa: E402

from aria2_top.storage.history_file import FILE_NAME, DownloadHistory  # noqa: E402
from aria2_top.storage.history_records import COLUMNS, SELECTED  # noqa: E402

COMMAND = str(ROOT / ".venv" / "bin" / "aria2-top")
SIZE = (160, 50)
POLL = 0.01
"""Seconds between two reads of the pane."""


def make_history(path: Path, count: int) -> None:
    """A history file of ``count`` finished downloads (of a daemon named as the one
    measured, with other GIDs), made as the app makes it and filled in one go."""
    path.parent.mkdir(parents=True, exist_ok=True)
    history = DownloadHistory(path)
    history.flush()
    history.close()
    now = time.time()
    rows = [
        (
            "127.0.0.1",
            f"{i:016x}",
            f"old-download-{i}.iso",
            "complete",
            1 << 20,
            now - 86400 - i,
            now - 86400 - i,
            now - 86000 - i,
            "",
            f"http://example.invalid/old-download-{i}.iso",
            "/tmp/downloads",
            "",
            None,
            0,
        )
        for i in range(count)
    ]
    with sqlite3.connect(path) as db:
        db.executemany(
            f"INSERT INTO downloads ({SELECTED}) VALUES ({', '.join('?' * len(COLUMNS))})", rows
        )


class Pane:
    """A tmux server of our own with one session: a shell in a fresh home."""

    def __init__(self, root: Path) -> None:
        self.socket = root / "tmux.sock"
        env = {
            "HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_STATE_HOME": str(root / "state"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_RUNTIME_DIR": str(root / "runtime"),
        }
        for folder in env.values():
            Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
        self.data_dir = root / "data" / "aria2-top"
        self.env = env
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "bench",
            "-x",
            str(SIZE[0]),
            "-y",
            str(SIZE[1]),
            *(arg for name, value in env.items() for arg in ("-e", f"{name}={value}")),
            "-e",
            "PS1=$ ",
            "env -u TMUX_PANE sh",
            env={**os.environ, **env},
        )
        deadline = time.monotonic() + 10
        while not self.text().strip():
            assert time.monotonic() < deadline, "the shell never came"
            time.sleep(POLL)

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout

    def text(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "bench")

    def type(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "bench", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


def one_run(
    root: Path,
    url: str,
    secret: str,
    n: int,
    history: Path | None,
    command: str,
    *,
    marks_wanted: int = 3,
) -> list[float]:
    """[first rows, app up, all n] in seconds from the Enter (the first
    ``marks_wanted`` of them)."""
    pane = Pane(root)
    try:
        if history is not None:
            pane.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copy(history, pane.data_dir / FILE_NAME)
        pane.type("-l", f"exec {command} --rpc-url {url} --secret {secret}")
        seen = ("bench.bin", "Quit", f"All {n:,}")
        marks: list[float] = []
        started = time.perf_counter()
        pane.type("Enter")
        deadline = started + 60
        while len(marks) < marks_wanted:
            text = pane.text()
            now = time.perf_counter() - started
            assert now < 60, f"not there after 60 s:\n{text}"
            while len(marks) < marks_wanted and seen[len(marks)] in text:
                marks.append(now)
            time.sleep(POLL)
        pane.type("q")
        while time.perf_counter() < deadline:
            try:
                pane.text()
            except subprocess.CalledProcessError:
                break  # the app quit, and the session with it
            time.sleep(0.05)
        return marks
    finally:
        pane.close()


async def prepared(root: Path, n: int) -> tuple[object, FileServer]:
    files = FileServer(root / "served")
    daemon = await start_scratch_daemon(root / "aria2", {"max-concurrent-downloads": "10"})
    async with TestClient(daemon.url, daemon.secret) as client:
        await populate(client, files, n)
    return daemon, files


ARIA2P_COMMAND = (
    "sh -c 'u=${2#http://}; u=${u%/jsonrpc}; "
    'exec "$0" --host "http://${u%:*}" --port "${u##*:}" --secret "$4" top\''
)
"""Types ``aria2p top`` as ``ARIA2P --rpc-url URL --secret SECRET`` (the host, port
and secret taken out of them)."""


def first_rows_of(root: Path, url: str, secret: str, n: int, runs: int, command: str) -> str:
    results = [
        one_run(root / f"other-{i}", url, secret, n, None, command, marks_wanted=1)[0]
        for i in range(runs)
    ]
    return f"{statistics.median(results):.2f} ({max(results):.2f})"


def measure(
    n: int, runs: int, history_size: int, command: str, aria2p: str | None, floor: bool
) -> None:
    with tempfile.TemporaryDirectory(prefix="aria2-top-start-") as scratch:
        root = Path(scratch)
        daemon, files = asyncio.run(prepared(root, n))
        try:
            url, secret = daemon.url, daemon.secret or ""  # type: ignore[attr-defined]
            cases: list[tuple[str, Path | None]] = [("fresh home", None)]
            if history_size:
                history = root / "history" / FILE_NAME
                make_history(history, history_size)
                cases.append((f"history of {history_size:,}", history))
            print(f"N = {n:,}, median of {runs} (slowest), seconds from the command's Enter")
            print(f"  {'':24} {'first rows':>15} {'app up':>15} {'all rows':>15}")
            for label, path in cases:
                results = [
                    one_run(root / f"run-{label[:5]}-{i}", url, secret, n, path, command)
                    for i in range(runs)
                ]
                columns = [[r[k] for r in results] for k in range(3)]
                cells = [f"{statistics.median(c):.2f} ({max(c):.2f})" for c in columns]
                print(f"  {label:24} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}", flush=True)
            if aria2p:
                rows = first_rows_of(root, url, secret, n, runs, f"{ARIA2P_COMMAND} {aria2p}")
                print(f"  {'aria2p top':24} {'':>15} {rows:>15}", flush=True)
            if floor:
                script = ROOT / "benchmarks" / "textual_floor.py"
                rows = first_rows_of(root, url, secret, n, runs, f"{sys.executable} {script}")
                print(f"  {'a bare Textual app':24} {'':>15} {rows:>15}", flush=True)
        finally:
            daemon.kill()  # type: ignore[attr-defined]
            files.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--history", type=int, default=0, help="also with a history file of this many downloads"
    )
    parser.add_argument(
        "--command",
        default=COMMAND,
        help="the command typed (e.g. 'env PYTHONPATH=/tmp/old/src aria2-top' for a before)",
    )
    parser.add_argument("--aria2p", metavar="PATH", help="also aria2p top's first rows")
    parser.add_argument("--floor", action="store_true", help="also a bare Textual app's first rows")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "src", quiet=1)  # as pip install does
    for n in (int(size) for size in args.sizes.split(",")):
        measure(n, args.runs, args.history, args.command, args.aria2p, args.floor)


if __name__ == "__main__":
    main()
