"""Regenerate ``screenshots/*.svg`` from a real aria2c daemon.

Run from the repository root:  .venv/bin/python scripts/screenshots.py

It starts aria2c and a local file server, adds a realistic mix of downloads
(tests/support/demo.py), drives aria2-top with Pilot and saves each screen.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.demo import start_demo  # noqa: E402
from tests.support.ui import make_settings  # noqa: E402
from textual.pilot import Pilot  # noqa: E402

from aria2_top.endpoint import Endpoint  # noqa: E402
from aria2_top.ui.app import Aria2TopApp  # noqa: E402

OUT = ROOT / "screenshots"

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def _nothing(pilot: Pilot[None]) -> None:
    pass


async def _tag_two(pilot: Pilot[None]) -> None:
    await pilot.press("space", "space")


async def _help(pilot: Pilot[None]) -> None:
    await pilot.press("f1")


async def _remove(pilot: Pilot[None]) -> None:
    await pilot.press("space", "space", "f9")


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("main", (120, 35), _nothing),
    ("main-80x24", (80, 24), _nothing),
    ("tagged", (120, 35), _tag_two),
    ("help", (120, 35), _help),
    ("confirm-remove", (120, 35), _remove),
]


async def shoot(
    endpoint: Endpoint, tmp: Path, name: str, size: tuple[int, int], steps: Steps
) -> None:
    app = Aria2TopApp(endpoint, make_settings(tmp, interval=1.0))
    async with app.run_test(size=size) as pilot:
        deadline = time.monotonic() + 30
        while not (app.shown and app.shown[0].progress > 0.08):
            if time.monotonic() > deadline:
                raise SystemExit("the demo daemon made no progress within 30 s")
            await pilot.pause(0.1)
        await steps(pilot)
        await pilot.pause(0.5)
        app.save_screenshot(f"{name}.svg", path=str(OUT))
        print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        daemon, files = await start_demo(Path(tmp))
        try:
            endpoint = Endpoint(daemon.url, daemon.secret, "private daemon")
            for name, size, steps in SHOTS:
                await shoot(endpoint, Path(tmp), name, size, steps)
        finally:
            daemon.kill()
            files.close()


if __name__ == "__main__":
    asyncio.run(main())
