"""How fast and how light the dashboard's refresh is, against a real aria2c.

    .venv/bin/python benchmarks/refresh.py                 # N = 1,000, 5,000, 10,000
    .venv/bin/python benchmarks/refresh.py --sizes 1000 --seconds 10
    .venv/bin/python benchmarks/refresh.py --sizes 10000 --daemons 5   # a fleet

For each N it starts aria2c with N downloads (10 active and throttled, 10 failed,
the rest paused) and prints:

- floor: the raw system.multicall for the same calls and keys the poller sends
  (median of 20), i.e. what any client must wait for;
- tick: the app's own time per tick from the reply to the updated table
  (parse + names + diffed table update), median and p95;
- app CPU: the app's CPU use over ``--seconds`` at the default 1 s interval
  (headless Textual, so terminal output costs are left out);
- aria2c CPU: what the polling adds to aria2c's own CPU use;
- RSS: the app process's peak resident memory.

With ``--resync S`` the waiting and stopped lists are fetched only when something
says they changed, or every S seconds (the app's default is 10; 0, the default here,
fetches everything every tick, as before).

With ``--daemons K`` the N downloads are spread over K aria2c (N/K each) shown
in one view: the fleet case (compare with K = 1 at the same N).

Each N runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.daemons import start_scratch_daemon  # noqa: E402
from tests.support.files import FileServer  # noqa: E402
from tests.support.ui import make_settings  # noqa: E402

from aria2_top.core.model import TABLE_KEYS  # noqa: E402
from aria2_top.endpoint import Endpoint  # noqa: E402
from aria2_top.rpc.client import Aria2Client, RpcCall  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure_ticks(app: Aria2TopApp) -> list[float]:
    """Note each refresh's client time (the newest poll's parse + the table update)."""
    ticks: list[float] = []
    dashboard = app.dashboard
    original = dashboard.refresh_view

    def measured(*, follow: bool = True) -> None:
        original(follow=follow)
        if dashboard.snapshots:
            newest = max(app.sessions, key=lambda s: s.poller.last_reply_at or 0.0)
            ticks.append(newest.poller.last_parse_seconds + dashboard.last_refresh_seconds)

    dashboard.refresh_view = measured  # type: ignore[method-assign]
    return ticks


async def populate(client: Aria2Client, files: FileServer, n: int) -> None:
    url = files.make_file("bench.bin", 8 << 20)
    calls = [RpcCall("aria2.addUri", [[url], {"max-download-limit": "10K"}])] * 10
    calls += [RpcCall("aria2.addUri", [[files.url("missing.bin")]])] * 10
    calls += [RpcCall("aria2.addUri", [[url], {"pause": "true"}])] * (n - 20)
    for start in range(0, len(calls), 500):
        await client.multicall(calls[start : start + 500])


def poll_calls(n: int) -> list[RpcCall]:
    keys = list(TABLE_KEYS)
    pages = n // 1000 + 1
    return [
        RpcCall("aria2.getGlobalStat"),
        RpcCall("aria2.getGlobalOption"),
        RpcCall("aria2.tellActive", [keys]),
        *(RpcCall("aria2.tellWaiting", [i * 1000, 1000, keys]) for i in range(pages)),
        RpcCall("aria2.tellStopped", [0, 1000, keys]),
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(n: int, seconds: float, count: int = 1, resync: float = 0.0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = FileServer(root / "served")
        daemons = [
            await start_scratch_daemon(root / f"d{i}", {"max-concurrent-downloads": "10"})
            for i in range(count)
        ]
        each = n // count
        try:
            floor = []
            for daemon in daemons:
                async with Aria2Client(daemon.url, daemon.secret) as client:
                    await populate(client, files, each)
                    calls = poll_calls(each)
                    for _ in range(20 // count):
                        started = time.perf_counter()
                        await client.multicall(calls)
                        floor.append(time.perf_counter() - started)

            def aria2_seconds() -> float:
                return sum(cpu_seconds(daemon.pid) for daemon in daemons)

            idle_start = aria2_seconds()
            await asyncio.sleep(5)
            aria2_idle = (aria2_seconds() - idle_start) / 5

            endpoints = [
                Endpoint(daemon.url, daemon.secret, f"daemon{i}" if count > 1 else "bench")
                for i, daemon in enumerate(daemons)
            ]
            app = Aria2TopApp(endpoints, make_settings(root, 1.0, resync=resync))
            ticks = measure_ticks(app)
            async with app.run_test(size=(160, 50)) as pilot:
                deadline = time.monotonic() + 120
                while app.dashboard.table.row_count < each * count:
                    assert time.monotonic() < deadline, "rows never arrived"
                    await pilot.pause(0.1)
                first_fill = list(ticks)
                ticks.clear()
                cpu0, aria0, wall0 = time.process_time(), aria2_seconds(), time.monotonic()
                await asyncio.sleep(seconds)
                wall = time.monotonic() - wall0
                app_cpu = (time.process_time() - cpu0) / wall
                aria2_cpu = (aria2_seconds() - aria0) / wall
                ticks = list(ticks)
        finally:
            for daemon in daemons:
                daemon.kill()
            files.close()
    return {
        "n": n,
        "daemons": count,
        "floor_ms": statistics.median(floor) * 1000,
        "tick_median_ms": statistics.median(ticks) * 1000,
        "tick_p95_ms": pct(ticks, 0.95) * 1000,
        "first_fill_ms": max(first_fill) * 1000 if first_fill else 0.0,
        "ticks": len(ticks),
        "app_cpu_pct": app_cpu * 100,
        "aria2c_cpu_pct": max(0.0, aria2_cpu - aria2_idle) * 100,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--daemons", type=int, default=1, help="spread N over this many")
    parser.add_argument(
        "--resync", type=float, default=0.0, help="seconds between list fetches (0: every tick)"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args.child, args.seconds, args.daemons, args.resync))))
        return
    header = (
        f"{'N':>6} {'daemons':>7} {'floor ms':>9} {'tick med':>9} {'tick p95':>9} {'1st fill':>9}"
        f" {'app CPU':>8} {'aria2c +CPU':>11} {'RSS MB':>7}"
    )
    print(header)
    for n in (int(size) for size in args.sizes.split(",")):
        out = subprocess.run(
            [
                *(sys.executable, __file__, "--child", str(n), "--seconds", str(args.seconds)),
                *("--daemons", str(args.daemons), "--resync", str(args.resync)),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['n']:>6} {r['daemons']:>7} {r['floor_ms']:>9.1f} {r['tick_median_ms']:>9.1f}"
            f" {r['tick_p95_ms']:>9.1f} {r['first_fill_ms']:>9.0f}"
            f" {r['app_cpu_pct']:>7.1f}% {r['aria2c_cpu_pct']:>10.1f}%"
            f" {r['rss_mb']:>7.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
