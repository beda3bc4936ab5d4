"""How fast each key of the help answers at 10,000 and 100,000 downloads, against a
real aria2c, while the polls go on.

    .venv/bin/python benchmarks/keys.py                      # N = 10,000 and 100,000
    .venv/bin/python benchmarks/keys.py --sizes 10000 --rounds 9
    .venv/bin/python benchmarks/keys.py --sizes 10000 --profile ctrl+a
    .venv/bin/python benchmarks/keys.py --sizes 100000 --keys "> sort,< sort,I invert"

For each N it starts aria2c with N downloads (10 active and throttled, 10 failed, the
rest paused), runs the app headless (160x50) in its own process and, once every row
is in the table, presses each key of :data:`SCRIPT` ``--rounds`` times at a person's
pace (a moment between keys): p50 / p95 / max per key, from the key to the frame that
shows it drawn (``benchmarks/refresh.py``'s ``key_latency``). A key that opens a
screen is measured to the frame that shows it; its Esc (closing it) is measured too.
Keys that change aria2 (p, P, Del, a's dialog's Enter...) are left out: they wait for
aria2's answer, not for the screen.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.refresh import key_latency, pct, populate  # noqa: E402
from tests.support.daemons import start_scratch_daemon  # noqa: E402
from tests.support.files import FileServer  # noqa: E402
from tests.support.rpc import TestClient  # noqa: E402
from tests.support.ui import make_settings  # noqa: E402

from aria2_top.daemon.endpoint import Endpoint  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402

SCRIPT: list[tuple[str, list[str]]] = [
    # (what it is called in the output, the keys pressed: the first is measured under
    # that name, the others are named by their key)
    ("j", ["j"]),
    ("k", ["k"]),
    ("PgDn", ["pagedown"]),
    ("PgUp", ["pageup"]),
    ("G", ["G"]),
    ("g", ["g"]),
    ("End", ["end"]),
    ("Home", ["home"]),
    ("Space", ["space"]),
    ("Ctrl+A", ["ctrl+a"]),
    ("U", ["U"]),
    ("*", ["asterisk"]),
    ("* again", ["asterisk"]),
    ("U again", ["U"]),
    ("F", ["F"]),
    ("F again", ["F"]),
    ("> sort", ["greater_than_sign"]),
    ("< sort", ["less_than_sign"]),
    ("I invert", ["I"]),
    ("I again", ["I"]),
    ("2 view", ["2"]),
    ("4 view", ["4"]),
    ("1 view", ["1"]),
    ("Tab", ["tab"]),
    ("Shift+Tab", ["shift+tab"]),
    ("H host", ["H"]),
    ("Enter details", ["enter"]),
    ("Esc pane", ["escape"]),
    ("/ search", ["slash"]),
    ("search b", ["b"]),
    ("Enter search", ["enter"]),
    ("n", ["n"]),
    ("N", ["N"]),
    ("\\ filter", ["backslash"]),
    ("filter b", ["b"]),
    ("Ctrl+U", ["ctrl+u"]),
    ("Enter filter", ["enter"]),
    ("F1 help", ["f1"]),
    ("Esc help", ["escape"]),
    ("e events", ["e"]),
    ("Esc events", ["escape"]),
    ("D daemons", ["D"]),
    ("Esc daemons", ["escape"]),
    ("F12 debug", ["f12"]),
    ("Esc debug", ["escape"]),
    ("F2 setup", ["f2"]),
    ("Esc setup", ["escape"]),
    ("F6 sort", ["f6"]),
    ("Esc sort", ["escape"]),
    ("L limits", ["L"]),
    ("Esc limits", ["escape"]),
    ("l limits", ["l"]),
    ("Esc l", ["escape"]),
    ("O options", ["O"]),
    ("Esc options", ["escape"]),
    ("a add", ["a"]),
    ("Esc add", ["escape"]),
    ("7 history", ["7"]),
    ("Esc history", ["escape"]),
]
"""The keys of the help a person presses without changing aria2, in an order that
leaves the app where it started (every screen closed, no filter, no tags)."""


async def measure(
    n: int, rounds: int, profile: str | None, names: list[str] | None = None
) -> dict[str, list[float]]:
    script = [(name, keys) for name, keys in SCRIPT if names is None or name in names]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = FileServer(root / "served")
        daemon = await start_scratch_daemon(root / "d", {"max-concurrent-downloads": "10"})
        try:
            async with TestClient(daemon.url, daemon.secret) as client:
                await populate(client, files, n)
            app = Aria2TopApp(
                [Endpoint(daemon.url, daemon.secret, "bench")], make_settings(root, 1.0)
            )
            async with app.run_test(size=(160, 50)) as pilot:
                deadline = time.monotonic() + 300
                while app.dashboard.table.row_count < n:
                    assert time.monotonic() < deadline, "rows never arrived"
                    await pilot.pause(0.02)
                await pilot.pause(2.0)  # the work done ahead while no key comes
                app.dashboard.table.focus()
                out: dict[str, list[float]] = {}
                profiler = cProfile.Profile() if profile else None
                for _ in range(rounds):
                    for name, keys in script:
                        for i, key in enumerate(keys):
                            watched = profiler is not None and key == profile
                            if watched and profiler:
                                profiler.enable()
                            ms = await key_latency(app, key)
                            if watched and profiler:
                                profiler.disable()
                            out.setdefault(name if i == 0 else key, []).append(ms)
                            await pilot.pause(0.15)  # the next key comes a moment later
                    await pilot.pause(0.5)
                if profiler:
                    stats = pstats.Stats(profiler, stream=sys.stderr)
                    stats.sort_stats("cumulative").print_stats(40)
        finally:
            daemon.kill()
            files.close()
    return out


def child(n: int, rounds: int, profile: str | None, names: str | None) -> dict[str, list[float]]:
    """One size in its own process."""
    out = subprocess.run(
        [
            *(sys.executable, __file__, "--child", str(n), "--rounds", str(rounds)),
            *(["--profile", profile] if profile else []),
            *(["--keys", names] if names else []),
        ],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    result: dict[str, list[float]] = json.loads(out.strip().splitlines()[-1])
    return result


def report(n: int, latencies: dict[str, list[float]]) -> None:
    print(f"N = {n:,}: ms from the key to the frame (p50 / p95 / max)", flush=True)
    every = [ms for values in latencies.values() for ms in values]
    for name, values in [*latencies.items(), ("every key", every)]:
        print(
            f"  {name:<15} n={len(values):<4} p50 {pct(values, 0.5):6.1f}"
            f"  p95 {pct(values, 0.95):6.1f}  max {max(values):6.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=5, help="each key this many times")
    parser.add_argument("--profile", help="print the cProfile of this key (e.g. ctrl+a)")
    parser.add_argument(
        "--keys", help="only these names of SCRIPT, comma-separated (e.g. '> sort,I invert')"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        names = args.keys.split(",") if args.keys else None
        print(json.dumps(asyncio.run(measure(args.child, args.rounds, args.profile, names))))
        return
    for n in (int(size) for size in args.sizes.split(",")):
        report(n, child(n, args.rounds, args.profile, args.keys))


if __name__ == "__main__":
    main()
