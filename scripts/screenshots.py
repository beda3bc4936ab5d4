"""Regenerate ``screenshots/*.svg`` from a real aria2c daemon.

Run from the repository root:  .venv/bin/python scripts/screenshots.py

It starts aria2c and a local file server, adds a realistic mix of downloads
(tests/support/demo.py), drives aria2-top with Pilot and saves each screen; then
three daemons in one view (one of them stopped with SIGSTOP) for the fleet shots.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.demo import (  # noqa: E402
    ACTIVE,
    DONE,
    FLEET,
    TORRENT_NAME,
    start_demo,
    start_fleet,
)
from tests.support.ui import focus, make_settings, until  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import TextArea  # noqa: E402

from aria2_top.daemon.endpoint import Endpoint  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402

OUT = ROOT / "screenshots"

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def _nothing(pilot: Pilot[None]) -> None:
    pass


async def _tag_two(pilot: Pilot[None]) -> None:
    await pilot.press("space", "space")


async def _help(pilot: Pilot[None]) -> None:
    await pilot.press("f1")


async def _events(pilot: Pilot[None]) -> None:
    """Pause all, resume all (a few starts for the log), then e."""
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    await pilot.press("P")
    await until(pilot, lambda: not any(d.down_speed for d in app.dashboard.shown), "paused")
    await pilot.press("P")
    await until(pilot, lambda: len(app.dashboard.events) >= 3, "a few starts")
    await pilot.press("e")


async def _remove(pilot: Pilot[None]) -> None:
    await pilot.press("space", "space", "f9")


def _details(*keys: str, wait_for: str) -> Steps:
    """Open the details of the demo torrent, press ``keys``, wait for ``wait_for``."""

    async def steps(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, Aria2TopApp)
        torrent = next(d for d in app.dashboard.shown if d.name == TORRENT_NAME)
        focus(app, torrent.gid)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press(*keys)
        deadline = time.monotonic() + 30
        while wait_for not in _screen_text(app):
            if time.monotonic() > deadline:
                raise SystemExit(f"the details pane never showed {wait_for!r}")
            await pilot.pause(0.1)

    return steps


def _screen_text(app: Aria2TopApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _add(pilot: Pilot[None]) -> None:
    await pilot.press("a")
    await pilot.pause(0.3)
    pilot.app.screen.query_one(TextArea).insert(
        "https://cdimage.example.org/debian-13.iso https://mirror.example.net/debian-13.iso\n"
        "magnet:?xt=urn:btih:" + "3b" * 20 + "&dn=Big+Buck+Bunny\n"
        "~/Downloads/album.torrent\n"
        "https://example.org/notes.txt\n"
        "  out=release-notes.txt\n"
        "  max-download-limit=200K\n"
    )
    pilot.app.screen.query_one(TextArea).move_cursor((0, 0))


def _stopped(pid: int, shows: str) -> Steps:
    """A daemon stops answering (SIGSTOP) until the bar ``shows`` it: how old the data
    is; with several daemons, its rows dim and the others go on."""

    async def steps(pilot: Pilot[None]) -> None:
        os.kill(pid, signal.SIGSTOP)
        await _wait_for(pilot, shows)

    return steps


async def _wait_for(pilot: Pilot[None], text: str) -> None:
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    deadline = time.monotonic() + 30
    while text not in _screen_text(app):
        if time.monotonic() > deadline:
            raise SystemExit(f"the screen never showed {text!r}")
        await pilot.pause(0.1)


async def _remove_with_files(pilot: Pilot[None]) -> None:
    """F9 on two finished downloads: the dialog says what d would delete."""
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    for name in DONE:
        focus(app, next(d.gid for d in app.dashboard.shown if d.name == name))
        await pilot.press("space")
    await pilot.press("f9")
    await _wait_for(pilot, "d deletes")


async def _streaming(pilot: Pilot[None]) -> None:
    """S on a running download, then its Overview: how much can play already."""
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    focus(app, next(d.gid for d in app.dashboard.shown if d.name == ACTIVE[0][0]))
    await pilot.press("S", "enter", "1")
    await _wait_for(pilot, "from its start")


async def _setup(pilot: Pilot[None]) -> None:
    """F2, the cursor on a column the table does not show yet."""
    await pilot.press("f2", *["down"] * 14)


async def _history(pilot: Pilot[None]) -> None:
    """7: what the app saw of the demo daemon (the shots before recorded it)."""
    await pilot.press("7")
    await _wait_for(pilot, "sort: Added")


async def _light(pilot: Pilot[None]) -> None:
    pilot.app.theme = "textual-light"
    await pilot.press("space", "enter")


async def _errors(pilot: Pilot[None]) -> None:
    await pilot.press("6")


async def _options_filter(pilot: Pilot[None]) -> None:
    await _details("6", wait_for="allow-overwrite")(pilot)
    await pilot.press(*"limit")


async def _turtle(pilot: Pilot[None]) -> None:
    """T: turtle limits on (the default ones); the bar says turtle and the limits."""
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    await pilot.press("T")
    await until(pilot, lambda: "[50.0K/s]" in _screen_text(app).splitlines()[0], "turtle")


async def _uris(pilot: Pilot[None]) -> None:
    """u on the failed download: its dead link, marked, and a mirror being typed."""
    app = pilot.app
    assert isinstance(app, Aria2TopApp)
    await pilot.press("6", "u")
    await until(pilot, lambda: "URIs of" in _screen_text(app), "the URIs dialog")
    await pilot.press("down", *"https://mirror.example.net/nightly-build.tar.xz")


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("main", (120, 35), _nothing),
    ("errors", (120, 24), _errors),
    ("details-options", (120, 40), _options_filter),
    ("main-80x24", (80, 24), _nothing),
    ("tagged", (120, 35), _tag_two),
    ("help", (120, 35), _help),
    ("events", (120, 35), _events),
    ("confirm-remove", (120, 35), _remove),
    ("add", (120, 35), _add),
    ("add-80x24", (80, 24), _add),
    ("details-files", (120, 40), _details("2", "down", "down", "space", wait_for="Disc 1")),
    ("details-peers", (120, 40), _details("3", wait_for="aria2 1.37.0")),
    ("details-overview", (120, 40), _details("1", wait_for="Magnet")),
    ("remove-with-files", (120, 35), _remove_with_files),
    ("streaming", (120, 40), _streaming),
    ("setup", (100, 30), _setup),
    ("history", (120, 30), _history),
    ("main-light", (120, 35), _light),
    ("turtle-80x24", (80, 24), _turtle),
    ("uris", (120, 35), _uris),
]


def _progressed(app: Aria2TopApp) -> bool:
    shown = app.dashboard.shown
    return len(shown) > 1 and (shown[1].progress or 0) > 0.08


def _fleet_rows(app: Aria2TopApp) -> bool:
    rows = sum(len(active) + len(queued) + len(done) for active, queued, done in FLEET.values())
    return len(app.dashboard.shown) == rows


async def _daemons(pilot: Pilot[None]) -> None:
    await pilot.press("D")
    await pilot.pause(1.2)  # the screen refreshes every second


async def shoot(
    endpoints: Endpoint | list[Endpoint],
    tmp: Path,
    name: str,
    size: tuple[int, int],
    steps: Steps,
    ready: Callable[[Aria2TopApp], bool] = _progressed,
) -> None:
    app = Aria2TopApp(endpoints, make_settings(tmp, interval=1.0))
    async with app.run_test(size=size) as pilot:
        deadline = time.monotonic() + 30
        while not ready(app):
            if time.monotonic() > deadline:
                raise SystemExit("the demo daemons made no progress within 30 s")
            await pilot.pause(0.1)
        await steps(pilot)
        await pilot.pause(0.5)
        app.save_screenshot(f"{name}.svg", path=str(OUT))
        print(f"wrote screenshots/{name}.svg")


def _wanted(*names: str) -> bool:
    """Whether one of ``names`` is to be made (arguments: only the shots named)."""
    return not sys.argv[1:] or any(name in sys.argv[1:] for name in names)


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = await start_demo(Path(tmp))
        try:
            endpoint = Endpoint(demo.daemon.url, demo.daemon.secret, "private daemon")
            for name, size, steps in SHOTS:
                if _wanted(name):
                    await shoot(endpoint, Path(tmp), name, size, steps)
            try:
                if _wanted("stalled"):
                    await shoot(
                        endpoint,
                        Path(tmp),
                        "stalled",
                        (120, 35),
                        _stopped(demo.daemon.pid, "no reply for 3s"),
                    )
            finally:
                os.kill(demo.daemon.pid, signal.SIGCONT)
        finally:
            demo.close()
    if not _wanted("fleet", "fleet-daemons"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        fleet = await start_fleet(Path(tmp))
        try:
            endpoints = [Endpoint(d.url, d.secret, name) for name, d in fleet.daemons.items()]
            if _wanted("fleet-daemons"):
                await shoot(endpoints, Path(tmp), "fleet-daemons", (120, 35), _daemons, _fleet_rows)
            laptop = fleet.daemons["laptop"].pid
            try:
                if _wanted("fleet"):
                    await shoot(
                        endpoints,
                        Path(tmp),
                        "fleet",
                        (120, 35),
                        _stopped(laptop, "◌ laptop 3s"),
                        _fleet_rows,
                    )
            finally:
                os.kill(laptop, signal.SIGCONT)
        finally:
            fleet.close()


if __name__ == "__main__":
    asyncio.run(main())
