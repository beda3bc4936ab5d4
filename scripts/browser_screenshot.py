"""Regenerate ``screenshots/browser.png``: aria2-top served to a real browser.

Run from the repository root:  .venv/bin/python scripts/browser_screenshot.py

It starts aria2c and a local file server with a realistic mix of downloads
(tests/support/demo.py), runs ``aria2-top --serve`` on a free loopback port, opens
it in Debian's headless chromium at 1280x800 and saves the page once the table shows
the downloads making progress.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM, NO_CHROMIUM, served_in_chromium  # noqa: E402
from tests.support.demo import ACTIVE, DONE, TORRENT_NAME, start_demo  # noqa: E402
from tests.support.rpc import TestClient  # noqa: E402
from tests.support.waiting import wait_until  # noqa: E402

OUT = ROOT / "screenshots" / "browser.png"
SIZE = (1280, 800)
DEADLINE = 60.0
SHOWN = [TORRENT_NAME, *(name for name, _ in ACTIVE), *DONE]
"""Names the page must show before the picture is taken."""


async def _progressed(client: TestClient) -> bool:
    """Every plain download running and the fastest one past 8%: the speeds settled."""
    active = await client.tell_active(["completedLength", "totalLength"])
    done = [int(d["completedLength"]) / max(int(d["totalLength"]), 1) for d in active]
    return len(done) >= len(ACTIVE) and max(done) > 0.08


async def main() -> None:
    if not CHROMIUM.exists():
        raise SystemExit(NO_CHROMIUM)
    OUT.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = await start_demo(Path(tmp))
        daemon = demo.daemon
        home, log = Path(tmp) / "home", Path(tmp) / "serve.log"
        try:
            async with served_in_chromium(home, log, daemon.url, daemon.secret, SIZE) as (
                _,
                page,
                terminal,
            ):
                await wait_until(
                    terminal.text,
                    lambda text: all(name in text for name in SHOWN),
                    timeout=DEADLINE,
                    what="the table",
                )
                await page.focus(".xterm-helper-textarea")  # a blurred app shows no keys
                async with TestClient(daemon.url, daemon.secret) as client:
                    await wait_until(
                        lambda: _progressed(client), timeout=DEADLINE, what="demo downloads"
                    )
                drawn = len(await terminal.text())
                await wait_until(  # the page shows that progress: a tick or two more
                    terminal.text, lambda text: len(text) > drawn + 4000, timeout=DEADLINE
                )
                await page.screenshot(path=OUT)
                print(f"wrote {OUT.relative_to(ROOT)}")
        finally:
            demo.close()


if __name__ == "__main__":
    asyncio.run(main())
