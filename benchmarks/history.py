"""How fast History (7) and ``aria2-top history`` are on a large history file.

    .venv/bin/python benchmarks/history.py                  # 100,000 records
    .venv/bin/python benchmarks/history.py --records 1000000 --runs 3

Builds a history file of N records in a temp folder through the storage API (as the
poller writes it: finished, failed and removed downloads with names, sources and
folders), then runs the app headless (Pilot, on recorded replies: no daemon, so the
figures are the history's own) and prints p50 / p95 / max in ms of:

- open: from ``7`` to the first frame with rows;
- search key: each key typed in the search, to the frame with the new rows and count
  (a word found on many rows, one found on a single row, one found nowhere, then
  erased key by key); what reads every record (words of one or two characters) is
  done in a thread after that frame (the count, or the page and its count when the
  newest records hold only its first rows): "search: exact count" is the time to
  the whole first page and its count;
- sort: ``>`` (the next column) and ``I`` (invert);
- to the end: Ctrl+End (the last record), Ctrl+Home, and PgDn;

then the time of ``aria2-top history --csv`` (to /dev/null) on the same file, and of
the first start of the app on the file (the history is read while the first poll
is on its way; it must not delay the first rows).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.refresh import key_latency as _latency  # noqa: E402
from tests.support.ui import make_settings, recorded_app  # noqa: E402

from aria2_top.model.downloads import Download, Status  # noqa: E402
from aria2_top.storage.history_file import DownloadHistory, history_path  # noqa: E402

WORDS = [
    *("ubuntu", "debian", "fedora", "arch", "movie", "album", "backup", "report", "photo"),
    *("linux", "kernel", "big", "data", "set", "season", "episode", "live", "concert"),
    *("podcast", "archive"),
]
STATUSES = (Status.COMPLETE, Status.COMPLETE, Status.COMPLETE, Status.ERROR, Status.REMOVED)
SIZE = (160, 45)
SEARCHES = ("ubuntu", "kernel-77777", "zzqx")
"""Found on many rows, on one, on none."""


def build(path: Path, n: int) -> float:
    """Write ``n`` records through the storage API; the seconds it took."""
    rng = random.Random(24)
    started = time.perf_counter()
    history = DownloadHistory(path, limit=max(n, 1000))
    for number in range(n):
        name = "-".join(rng.sample(WORDS, 3)) + f"-{number}.iso"
        status = STATUSES[number % len(STATUSES)]
        history.stamp(
            Download(
                gid=f"{number:016x}",
                name=name,
                status=status,
                aria2_status=status.value,
                daemon="private daemon",
                total=rng.randint(1 << 20, 1 << 33),
                source=f"https://mirror{number % 40}.example.org/pub/{name}",
                folder="/home/user/Downloads",
                error_code="3" if status is Status.ERROR else "",
                error_message="Resource not found" if status is Status.ERROR else "",
            )
        )
        if number % 5000 == 4999:
            history.commit()
    history.close()
    return time.perf_counter() - started


async def key_latency(app: Any, key: str, until: Any = None) -> float:
    """``benchmarks/refresh.py``'s, with a longer deadline (a search may scan)."""
    return await _latency(app, key, until, deadline=30)


def rows_of(app: Any) -> int:
    screen = app.screen
    return len(getattr(screen, "shown", []))


async def measure(home: Path, data: Path, runs: int) -> dict[str, list[float]]:
    settings = dataclasses.replace(make_settings(home, interval=3600), data_dir=data)
    app = recorded_app(settings)
    out: dict[str, list[float]] = {}
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        while not app.dashboard.shown:
            await pilot.pause(0.001)
        out["app: first rows"] = [(time.perf_counter() - started) * 1000]
        for _ in range(runs):
            await one_run(app, pilot, out)
    return out


async def one_run(app: Any, pilot: Any, out: dict[str, list[float]]) -> None:
    """Open History, search, sort, go to the end and back, page down, close."""
    latency = await key_latency(app, "7", lambda: rows_of(app) > 0)
    out.setdefault("open (7)", []).append(latency)
    screen = app.screen
    filled: list[str] = []
    fill = screen.fill

    def noted() -> None:
        fill()
        filled.append(screen.needle)

    screen.fill = noted  # the search's rows and count are shown for this text
    typed = ""
    for word in SEARCHES:
        for key in [*word, *["backspace"] * len(word)]:
            typed = typed[:-1] if key == "backspace" else typed + key
            started = time.perf_counter()
            latency = await key_latency(app, key, lambda t=typed: filled[-1:] == [t])
            out.setdefault("search key", []).append(latency)
            while (screen.counting or screen.searching) and time.perf_counter() < started + 30:
                await asyncio.sleep(0.001)
            out.setdefault("search: exact count", []).append((time.perf_counter() - started) * 1000)
            await pilot.pause(0.05)
    table = screen.query_one("#history-table")
    await key_latency(app, "enter", lambda: app.focused is table)  # to the rows
    for key in ("greater_than_sign", "I", "less_than_sign", "I"):
        before = len(filled)
        latency = await key_latency(app, key, lambda b=before: len(filled) > b)
        out.setdefault("sort (> I < I)", []).append(latency)
        await pilot.pause(0.05)

    def at() -> int:
        return int(screen.start + table.cursor_row)

    latency = await key_latency(app, "ctrl+end", lambda: at() == screen.found - 1)
    out.setdefault("ctrl+end", []).append(latency)
    await pilot.pause(0.05)
    latency = await key_latency(app, "ctrl+home", lambda: at() == 0)
    out.setdefault("ctrl+home", []).append(latency)
    await pilot.pause(0.05)
    for _ in range(5):
        before = at()
        latency = await key_latency(app, "pagedown", lambda b=before: at() > b)
        out.setdefault("pagedown", []).append(latency)
        await pilot.pause(0.05)
    await key_latency(app, "escape", lambda: app.screen is app.dashboard)
    await pilot.pause(0.1)


def read_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM downloads").fetchone()[0])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def csv_seconds(home: Path) -> tuple[float, int]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    exe = Path(sys.executable).parent / "aria2-top"
    started = time.perf_counter()
    done = subprocess.run(
        [str(exe), "history", "--csv"], env=env, capture_output=True, check=True, timeout=600
    )
    return time.perf_counter() - started, done.stdout.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="times History is opened")
    parser.add_argument(
        "--folder", type=Path, help="build the file here, or use the one built here before"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aria2-top-history-") as tmp:
        home = args.folder or Path(tmp)
        data = home / "data" / "aria2-top"
        path = history_path(data)
        if not path.exists():
            built = build(path, args.records)
            print(f"history built in {built:.1f} s")
        size = path.stat().st_size / 2**20
        print(f"history: {read_count(path):,} records, {size:.1f} MiB")
        results = asyncio.run(measure(home, data, args.runs))
        print(f"{'ms':22} {'p50':>8} {'p95':>8} {'max':>8} {'n':>4}")
        for kind, values in results.items():
            print(
                f"{kind:22} {statistics.median(values):8.1f} {pct(values, 0.95):8.1f} "
                f"{max(values):8.1f} {len(values):4}"
            )
        seconds, lines = csv_seconds(home)
        print(f"aria2-top history --csv: {seconds:.2f} s ({lines - 1:,} rows)")


if __name__ == "__main__":
    main()
