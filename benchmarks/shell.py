"""How long the shell verbs take, as a script meets them: ``aria2-top ls --json`` (and
the other forms) run as commands, each in a fresh process, against a real aria2c
holding N downloads (10 active and throttled, 10 failed, the rest paused).

    .venv/bin/python benchmarks/shell.py                  # N = 1,000 and 10,000
    .venv/bin/python benchmarks/shell.py --sizes 10000 --runs 9

For each N and form it prints the median and the slowest of ``--runs`` runs, wall
clock from starting the process to its exit (Python's start-up and imports
included), and the bytes it printed. ``--version`` is timed the same way: the floor
any verb pays before it talks to aria2c.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
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

FORMS: list[tuple[str, ...]] = [
    ("--version",),
    ("ls", "--json"),
    ("ls", "--csv"),
    ("ls",),
    ("ls", "--status", "active", "--json"),
    ("show", "{gid}", "--json"),
]


async def timed(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds from start to exit, bytes printed, exit status."""
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aria2_top",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode:
        print(f"    {' '.join(args)}: exit {process.returncode}: {err.decode().strip()}")
    return seconds, len(out), process.returncode or 0


async def measure(n: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="aria2-top-shell-") as scratch:
        root = Path(scratch)
        env = dict(os.environ) | {"HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "c")}
        env |= {"XDG_DATA_HOME": str(root / "d"), "XDG_STATE_HOME": str(root / "s")}
        env |= {"XDG_CACHE_HOME": str(root / "k")}
        files = FileServer(root / "served")
        daemon = await start_scratch_daemon(root / "aria2", {"max-concurrent-downloads": "10"})
        try:
            async with TestClient(daemon.url, daemon.secret) as client:
                await populate(client, files, n)
                gid = (await client.tell_active(["gid"]))[0]["gid"]
            target = ["--rpc-url", daemon.url, "--secret", daemon.secret or ""]
            print(f"N = {n:,}")
            for form in FORMS:
                args = [word.format(gid=gid) for word in form]
                if args != ["--version"]:
                    args += target
                results = [await timed(args, env) for _ in range(runs)]
                seconds = [r[0] for r in results]
                size = results[-1][1]
                print(
                    f"  {' '.join(form):34} median {statistics.median(seconds) * 1000:7.0f} ms"
                    f"   slowest {max(seconds) * 1000:7.0f} ms   {size / 1024:9.1f} KiB out"
                )
        finally:
            await daemon.stop()
            files.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for n in args.sizes:
        asyncio.run(measure(n, args.runs))


if __name__ == "__main__":
    main()
