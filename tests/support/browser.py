"""``aria2-top --serve`` as a user runs it, and a real headless Chromium to look at it.

:class:`ServedApp` runs the server as a subprocess and, when stopped, makes sure the
apps it started for the browser tabs ended too. :func:`open_chromium` starts Debian's
chromium through Playwright (its own driver; no browser download), and
:class:`TerminalStream` collects what the page's terminal is sent.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aria2_top
from aria2_top.daemon.process import free_port
from tests.support.terminal import plain_text, user_environment
from tests.support.waiting import wait_until

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Playwright, WebSocket

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    f"no Chromium at {CHROMIUM}: the browser test needs Debian's chromium "
    "(apt-get install chromium; .ci/run installs it)"
)
LOOPBACK_ONLY = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])[a-z]+://")
"""Every request the page makes elsewhere (textual-serve's page asks Google for a
font): refused at once, so nothing waits for a network this machine does not have."""
STOP_DEADLINE = 20.0
TOKENED = re.compile(r"serving the dashboard at (\S+\?token=\S+)")


def source_environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` with PYTHONPATH reaching the aria2_top under test (and the tests)."""
    source = str(Path(aria2_top.__file__).resolve().parent.parent)
    paths = [source, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


class ServedApp:
    """``python -m aria2_top --serve --port PORT ARGS`` until :meth:`stop`; its output
    goes to ``log``."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.address = ""
        """The page's address with its token, as the server printed it."""
        self.token = ""
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "aria2_top", "--serve", "--port", str(self.port), *args],
                env=source_environment(env),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    async def wait_listening(self) -> None:
        async def listening() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"aria2-top --serve ended: {self.log.read_text()}")
            try:
                host = urlsplit(self.url).hostname or "127.0.0.1"
                _, writer = await asyncio.open_connection(host, self.port)
            except OSError:
                return False
            writer.close()
            await writer.wait_closed()
            return True

        await wait_until(listening, what=f"aria2-top --serve listening on {self.port}")
        said = await wait_until(
            self._said, lambda text: "?token=" in text, what="the address with its token"
        )
        self.address = TOKENED.search(said).group(1)  # type: ignore[union-attr]
        self.token = self.address.split("?token=", 1)[1]

    async def _said(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def socket_url(self, token: str | None = None) -> str:
        """The address of the WebSocket an app runs behind (with ``token``, by default
        the right one)."""
        token = self.token if token is None else token
        return self.url.replace("http:", "ws:") + f"/ws?token={token}"

    def apps(self) -> set[int]:
        """The PIDs of the server's children: the apps of the browser tabs."""
        return _children(self.process.pid)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after a deadline; fail if an app it started for a tab
        is still running then."""
        apps = self.apps()
        if self.process.poll() is None:
            self.process.terminate()
        try:
            await wait_until(_ended(self.process), timeout=STOP_DEADLINE, what="the server")
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(STOP_DEADLINE)
        await wait_apps_ended(apps)


async def wait_apps_ended(apps: set[int]) -> None:
    """Wait for the processes ``apps`` to end; past the deadline, kill them and fail."""
    try:
        await wait_until(_gone(apps), timeout=STOP_DEADLINE, what=f"the apps {sorted(apps)} to end")
    except AssertionError:
        for pid in apps - _dead(apps):
            os.kill(pid, signal.SIGKILL)
        raise


def _ended(process: subprocess.Popen[bytes]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return process.poll() is not None

    return probe


def _gone(pids: set[int]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return _dead(pids) == pids

    return probe


def _children(parent: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


def _dead(pids: set[int]) -> set[int]:
    """Those of ``pids`` that no longer run (gone, or a zombie nobody reaped yet)."""
    dead = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            dead.add(pid)
            continue
        if state in ("Z", "X"):
            dead.add(pid)
    return dead


@asynccontextmanager
async def open_chromium() -> AsyncIterator[Browser]:
    """Debian's chromium, headless, driven by Playwright."""
    from playwright.async_api import async_playwright

    playwright: Playwright
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def open_page(browser: Browser, width: int, height: int) -> Page:
    """A page of ``width`` x ``height`` pixels that reaches only loopback."""
    page = await browser.new_page(viewport={"width": width, "height": height})
    await page.route(LOOPBACK_ONLY, lambda route: route.abort())
    return page


class TerminalStream:
    """Everything the page's terminal (xterm.js) is sent to draw, from the moment
    the page opens its WebSocket."""

    def __init__(self, page: Page) -> None:
        self._data = bytearray()
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # text frames are textual-serve's own messages
            self._data.extend(payload)

    async def text(self) -> str:
        """What it was sent, escape sequences removed."""
        return plain_text(bytes(self._data))


@asynccontextmanager
async def served_in_chromium(
    home: Path, log: Path, url: str, secret: str, size: tuple[int, int]
) -> AsyncIterator[tuple[ServedApp, Page, TerminalStream]]:
    """``aria2-top --serve`` on the daemon at ``url`` (its ``secret``), run as a user
    whose home is ``home``, and a page of ``size`` pixels that opened it: (the server,
    the page, what its terminal is sent). The server is stopped at the end."""
    served = ServedApp(user_environment(home), log, "--rpc-url", url, "--secret", secret)
    try:
        await served.wait_listening()
        async with open_chromium() as browser:
            page = await open_page(browser, *size)
            terminal = TerminalStream(page)
            await page.goto(served.address, wait_until="domcontentloaded")
            yield served, page, terminal
    finally:
        await served.stop()
