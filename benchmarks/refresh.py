"""How fast and how light the dashboard's refresh is, against a real aria2c.

    .venv/bin/python benchmarks/refresh.py                      # N = 1,000 and 10,000
    .venv/bin/python benchmarks/refresh.py --sizes 100000 --no-full
    .venv/bin/python benchmarks/refresh.py --sizes 10000 --daemons 5   # a fleet

For each N it starts aria2c with N downloads (10 active and throttled, 10 failed,
the rest paused) and runs the app twice, each in its own process: polling what
changes (``new``, resync every ``--resync`` s, the app's default 10) and the full
poll of every list every tick (``full``, resync 0). Each prints:

- floor: the raw system.multicall of the full poll (median of 20): what any client
  that asks for everything must wait for;
- tick: the app's own time per tick from the reply to the updated table (median);
- KB/tick: bytes of replies read per tick;
- app CPU, over ``--seconds`` at the default 1 s interval (headless Textual, so
  terminal output costs are left out);
- aria2c +CPU: what the polling adds to aria2c's own CPU use;
- RSS: the app process's peak resident memory;
- 1st rows / full table: from the app's start to the first rows, and to all N;
- then the new/full ratios, and for ``new`` the latencies of a scripted key
  sequence (moves, pages, tags, sorts, views, filter typing, clearing the filter)
  pressed while the polls go on: p50 / p95 / max of each kind, from the key to the
  frame that shows it drawn.

With ``--daemons K`` the N downloads are spread over K aria2c (N/K each) shown
in one view: the fleet case (compare with K = 1 at the same N).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.daemons import start_scratch_daemon  # noqa: E402
from tests.support.files import FileServer  # noqa: E402
from tests.support.rpc import TestClient  # noqa: E402
from tests.support.ui import make_settings  # noqa: E402
from textual import events  # noqa: E402

from aria2_top.daemon.endpoint import Endpoint  # noqa: E402
from aria2_top.model.downloads import TABLE_KEYS  # noqa: E402
from aria2_top.rpc.client import RpcCall  # noqa: E402
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


async def populate(client: TestClient, files: FileServer, n: int) -> None:
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


async def measure(
    n: int,
    seconds: float,
    count: int = 1,
    resync: float = 0.0,
    profile: bool = False,
    keys: bool = True,
) -> dict[str, Any]:
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
                async with TestClient(daemon.url, daemon.secret) as client:
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
            received = count_bytes()
            started = time.perf_counter()
            async with app.run_test(size=(160, 50)) as pilot:
                first_rows = full_table = 0.0
                deadline = time.monotonic() + 120
                while app.dashboard.table.row_count < each * count:
                    assert time.monotonic() < deadline, "rows never arrived"
                    if not first_rows and app.dashboard.table.row_count:
                        first_rows = time.perf_counter() - started
                    await pilot.pause(0.005)
                full_table = time.perf_counter() - started
                first_rows = first_rows or full_table
                first_fill = list(ticks)
                ticks.clear()
                received[0] = 0
                profiler = cProfile.Profile() if profile else None
                cpu0, aria0, wall0 = time.process_time(), aria2_seconds(), time.monotonic()
                main0 = time.thread_time()
                if profiler:
                    profiler.enable()
                await asyncio.sleep(seconds)
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
                wall = time.monotonic() - wall0
                app_cpu = (time.process_time() - cpu0) / wall
                main_cpu = (time.thread_time() - main0) / wall
                aria2_cpu = (aria2_seconds() - aria0) / wall
                ticks = list(ticks)
                bytes_per_tick = received[0] / max(1, len(ticks))
                latencies = await key_latencies(pilot) if keys else {}
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
        "main_cpu_pct": main_cpu * 100,
        "aria2c_cpu_pct": max(0.0, aria2_cpu - aria2_idle) * 100,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first_rows_ms": first_rows * 1000,
        "full_table_ms": full_table * 1000,
        "kb_per_tick": bytes_per_tick / 1024,
        "keys": latencies,
    }


def count_bytes() -> list[int]:
    """Count the bytes of every reply the app's clients read: [total so far]."""
    received = [0]
    exchange = TestClient._exchange

    async def counted(self: TestClient, body: str) -> tuple[int, bytes]:
        status, raw = await exchange(self, body)
        received[0] += len(raw)
        return status, raw

    TestClient._exchange = counted  # type: ignore[method-assign]
    return received


KEY_SCRIPT: list[tuple[str, list[str]]] = [
    ("move", ["j"] * 30 + ["k"] * 10),
    ("page", ["pagedown"] * 5 + ["pageup"] * 2 + ["G", "g"]),
    ("tag", ["space"] * 5 + ["U"]),
    ("sort", ["greater_than_sign", "greater_than_sign", "I", "less_than_sign", "less_than_sign"]),
    ("view", ["2", "3", "4", "5", "6", "1", "tab", "tab"]),
    ("filter typing", ["backslash", "b", "e", "n", "c", "h", "enter"]),
    ("clear filter", ["backslash", "ctrl+u", "enter"]),
]
"""A user's keys, by kind, pressed through Pilot while the polls go on."""


def drained(app: Any) -> bool:
    """Whether the app, its screen and every widget on it have no message waiting."""
    pumps = [app, *app.screen.walk_children(with_self=True)]
    return all(pump._message_queue.empty() for pump in pumps)


CHARS = {"space": " ", "asterisk": "*", "slash": "/", "backslash": "\\"}
CHARS |= {"greater_than_sign": ">", "less_than_sign": "<", "enter": "\r", "escape": "\x1b"}
CHARS |= {"tab": "\t", "ctrl+a": "\x01", "ctrl+u": "\x15"}
"""The characters a terminal sends with the keys the benchmarks press."""


async def key_latency(
    app: Any, key: str, until: Callable[[], bool] | None = None, deadline: float = 5.0
) -> float:
    """Milliseconds from a key press until the app handled everything it caused
    (ticks that came meanwhile included; and ``until()`` holds, when given) and drew
    the frame that shows it. The frame is drawn at once here, where Textual waits for
    its 60 Hz frame clock (up to 17 ms more, not counted)."""
    char = key if len(key) == 1 else CHARS.get(key)
    event = events.Key(key, char)
    event.set_sender(app)
    started = time.perf_counter()
    app._driver.send_message(event)
    give_up = started + deadline
    await asyncio.sleep(0)
    while time.perf_counter() < give_up and not (drained(app) and (until is None or until())):
        await asyncio.sleep(0)
    for _ in range(2):  # widgets hand what to draw to the screen when they are idle
        await asyncio.sleep(0)
    app.screen._on_timer_update()  # draw now what is waiting to be drawn
    return (time.perf_counter() - started) * 1000


async def key_latencies(pilot: Any) -> dict[str, list[float]]:
    """Each kind of key's latencies (:func:`key_latency`), at a person's pace."""
    app = pilot.app
    app.dashboard.table.focus()
    out: dict[str, list[float]] = {}
    for _ in range(3):
        for kind, keys in KEY_SCRIPT:
            for key in keys:
                out.setdefault(kind, []).append(await key_latency(app, key))
                await pilot.pause(0.05)  # the next key comes a moment later
            await pilot.pause(0.3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--daemons", type=int, default=1, help="spread N over this many")
    parser.add_argument(
        "--resync",
        type=float,
        default=10.0,
        help="the new poll's seconds between resyncs (the app's default: 10)",
    )
    parser.add_argument(
        "--no-full", action="store_true", help="skip the full poll (every list every tick)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="with --child: print the steady window's profile"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-keys", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure(
            args.child,
            args.seconds,
            args.daemons,
            args.resync,
            profile=args.profile,
            keys=not args.no_keys,
        )
        print(json.dumps(asyncio.run(result)))
        return
    print(
        f"{'N':>7} {'poll':>5} {'floor ms':>9} {'tick ms':>8} {'KB/tick':>8} {'app CPU':>8}"
        f" {'aria2c +CPU':>11} {'RSS MB':>7} {'1st rows ms':>11} {'full table ms':>13}",
        flush=True,
    )
    for n in (int(size) for size in args.sizes.split(",")):
        runs = [("new", args.resync, True)] + ([] if args.no_full else [("full", 0.0, False)])
        results = {}
        for label, resync, keys in runs:
            r = results[label] = child(n, args, resync, keys)
            print(
                f"{n:>7,} {label:>5} {r['floor_ms']:>9.1f} {r['tick_median_ms']:>8.1f}"
                f" {r['kb_per_tick']:>8.1f} {r['app_cpu_pct']:>7.1f}%"
                f" {r['aria2c_cpu_pct']:>10.1f}% {r['rss_mb']:>7.0f}"
                f" {r['first_rows_ms']:>11.0f} {r['full_table_ms']:>13.0f}",
                flush=True,
            )
        if "full" in results:
            new, full = results["new"], results["full"]
            print(
                f"{'':>7} new/full: app CPU {ratio(new, full, 'app_cpu_pct')},"
                f" aria2c CPU {ratio(new, full, 'aria2c_cpu_pct')},"
                f" bytes/tick {ratio(new, full, 'kb_per_tick')}",
                flush=True,
            )
        print_keys(results["new"]["keys"])


def child(n: int, args: argparse.Namespace, resync: float, keys: bool) -> dict[str, Any]:
    """One measurement in its own process (its own peak RSS)."""
    out = subprocess.run(
        [
            *(sys.executable, __file__, "--child", str(n), "--seconds", str(args.seconds)),
            *("--daemons", str(args.daemons), "--resync", str(resync)),
            *([] if keys else ["--no-keys"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def ratio(new: dict[str, Any], full: dict[str, Any], key: str) -> str:
    return f"{new[key] / full[key]:.2f}" if full[key] else "-"


def print_keys(latencies: dict[str, list[float]]) -> None:
    """p50 / p95 / max of each kind of key, and of all of them."""
    every = [ms for values in latencies.values() for ms in values]
    for kind, values in [*latencies.items(), ("every key", every)]:
        print(
            f"{'':>7} keys {kind:<14} n={len(values):<4} p50 {pct(values, 0.5):6.1f} ms"
            f"  p95 {pct(values, 0.95):6.1f} ms  max {max(values):6.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
