"""What a stalled, flooding or endless daemon costs the app, on the test suite's
fake aria2 (tests/support/fake_daemon.py, in a thread of its own).

    .venv/bin/python benchmarks/safety.py

Prints:

- stall: seconds from the daemon going silent (and from its last good reply) until
  the stats bar says ``no reply for``, at the default 1 s interval and 10 s
  deadline, median of 5;
- flood: polls per second and the app's CPU use (its own thread's CPU time) while
  the daemon pushes notifications as fast as it can, for 5 s;
- endless reply: the app's peak RSS growth while a poll's reply never ends, with
  the default 128 MiB cap, and how long until the poll is refused;
- large notifications: the app's CPU use while the daemon pushes 60 KiB messages
  back to back for 5 s (read at most 128 KiB a second);
- endless pages: the app's peak RSS after 30 s of a tellWaiting that answers a
  full page of new downloads for any offset (its count says 200).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_daemon import EndlessChunked, FakeDaemon, Hang, Sane  # noqa: E402
from tests.support.ui import make_settings, screen_text  # noqa: E402

from aria2_top.daemon.endpoint import Endpoint  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402

SIZE = (160, 30)


def _app(fake: FakeDaemon, folder: Path, **settings: float) -> Aria2TopApp:
    endpoint = Endpoint(fake.url, "s", "fake daemon")
    return Aria2TopApp(endpoint, make_settings(folder, **settings))  # type: ignore[arg-type]


async def _wait(condition: object, timeout: float = 60.0) -> float:
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - started > timeout:
            raise TimeoutError
        await asyncio.sleep(0.01)
    return time.monotonic()


async def stall(fake: FakeDaemon, folder: Path) -> tuple[float, float]:
    """(median seconds from silence, from the last good reply) to 'no reply for'."""
    from_silence, from_reply = [], []
    app = _app(fake, folder, interval=1.0, timeout=10.0)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            fake.set_behaviour(Sane())
            await _wait(lambda: "● connected" in screen_text(app))
            await pilot.pause(0.3)
            silent = time.monotonic()
            fake.set_behaviour(Hang())
            shown = await _wait(lambda: "no reply for" in screen_text(app))
            last = app.sessions[0].poller.last_reply_at or silent
            from_silence.append(shown - silent)
            from_reply.append(shown - last)
        fake.set_behaviour(Sane())
    return statistics.median(from_silence), statistics.median(from_reply)


async def flood(fake: FakeDaemon, folder: Path, seconds: float = 5.0) -> tuple[float, float]:
    """(polls per second, app CPU %) during a flood of notifications."""
    app = _app(fake, folder, interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: fake.ws_clients == 1 and app.dashboard.snapshot is not None)
        fake.reset_counters()
        sent = [0]

        def push() -> None:  # in a thread of its own: its CPU is not the app's
            while time.monotonic() - started < seconds:
                fake.flood(500)
                sent[0] += 500

        cpu, started = time.thread_time(), time.monotonic()
        pusher = threading.Thread(target=push)
        pusher.start()
        while pusher.is_alive():
            await pilot.pause(0.05)
        elapsed = time.monotonic() - started
        used = time.thread_time() - cpu
        polls = fake.methods.count("aria2.getGlobalStat")
    print(f"  ({sent[0]} notifications pushed in {elapsed:.1f} s)")
    return polls / elapsed, 100 * used / elapsed


async def endless(fake: FakeDaemon, folder: Path) -> tuple[float, float]:
    """(peak RSS growth in MiB, seconds until the reply is refused)."""
    app = _app(fake, folder, interval=1.0, timeout=600.0)
    async with app.run_test(size=SIZE):
        await _wait(lambda: app.dashboard.snapshot is not None)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.monotonic()
        fake.set_behaviour(EndlessChunked(chunk=1 << 20))
        refused = await _wait(lambda: "larger than" in screen_text(app), timeout=300)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        fake.set_behaviour(Sane())
    return after - before, refused - started


async def baseline(fake: FakeDaemon, folder: Path, seconds: float = 5.0) -> float:
    """The app's CPU % with nothing pushed (5 active downloads change every second):
    what a flood costs is the difference."""
    app = _app(fake, folder, interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: fake.ws_clients == 1 and app.dashboard.snapshot is not None)
        cpu, started = time.thread_time(), time.monotonic()
        while time.monotonic() - started < seconds:
            await pilot.pause(0.05)
        return 100 * (time.thread_time() - cpu) / (time.monotonic() - started)


async def large_notifications(
    fake: FakeDaemon, folder: Path, seconds: float = 5.0
) -> tuple[float, int]:
    """(app CPU %, MiB pushed) while 60 KiB messages come back to back."""
    app = _app(fake, folder, interval=1.0)
    message = '{"method": "aria2.onDownloadStart", "params": [{"gid": "' + "a" * 60_000 + '"}]}'
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: fake.ws_clients == 1 and app.dashboard.snapshot is not None)
        sent = [0]

        def push() -> None:  # ~6 MB/s: far past what is read, without filling
            while time.monotonic() - started < seconds:  # this process with the fake's
                fake.send_ws_raw(message)  # own send buffer
                sent[0] += len(message)
                time.sleep(0.01)

        cpu, started = time.thread_time(), time.monotonic()
        pusher = threading.Thread(target=push)
        pusher.start()
        while pusher.is_alive():
            await pilot.pause(0.05)
        used = time.thread_time() - cpu
        elapsed = time.monotonic() - started
    return 100 * used / elapsed, sent[0] >> 20


async def endless_pages(fake: FakeDaemon, folder: Path, seconds: float = 30.0) -> float:
    """Peak RSS in MiB after ``seconds`` of a tellWaiting making up full pages."""
    made = iter(range(10**12))

    def page(params: list[object]) -> object:
        return [
            {"gid": f"{next(made):016x}", "status": "waiting", "totalLength": "1"}
            for _ in range(1000)
        ]

    app = _app(fake, folder, interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: app.dashboard.snapshot is not None)
        fake.replace("aria2.tellWaiting", page)
        started, peak = time.monotonic(), 0.0
        while time.monotonic() - started < seconds:
            app.sessions[0].wake()
            await pilot.pause(0.5)
            peak = max(peak, _rss_mib())
        fake.restore()
    return peak


def _rss_mib() -> float:
    """The process's resident memory now, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeDaemon(secret="s") as fake:
        for number in range(200):
            fake.add(f"download-{number}.bin", "active" if number < 5 else "paused")
        folder = Path(tmp)
        print("endless pages (30 s), first (the others grow this process's memory):")
        peak = await endless_pages(fake, folder)
        print(f"  resident memory of the whole process at most {peak:.0f} MiB")
        print("stall (interval 1 s, deadline 10 s):")
        silence, reply = await stall(fake, folder)
        print(f"  'no reply for' shown {silence:.2f} s after the daemon went silent, ")
        print(f"  {reply:.2f} s after its last good reply (median of 5)")
        quiet = await baseline(fake, folder)
        print(f"quiet: app CPU {quiet:.1f}% of a core (what the floods below add to)")
        print("flood of notifications:")
        rate, cpu = await flood(fake, folder)
        print(f"  {rate:.1f} polls/s, app CPU {cpu:.1f}% of a core (+{cpu - quiet:.1f})")
        print("endless reply (cap 128 MiB):")
        growth, seconds = await endless(fake, folder)
        print(f"  peak RSS +{growth:.0f} MiB, refused after {seconds:.1f} s")
        print("large notifications (60 KiB each, back to back, 5 s):")
        cpu, pushed = await large_notifications(fake, folder)
        print(f"  app CPU {cpu:.1f}% of a core (+{cpu - quiet:.1f}; {pushed} MiB pushed)")


if __name__ == "__main__":
    asyncio.run(main())
