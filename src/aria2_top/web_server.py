"""The web server of ``aria2-top --serve``: textual-serve's, made safer.

textual-serve runs the app for each browser tab that connects to its WebSocket. This
server opens apps only for its own page (a WebSocket carries the ``Origin`` of the page
that opened it; any other site the browser shows could otherwise script one to this
port and drive your downloads), says its address in one line instead of its command
(which may hold the RPC secret), and on Ctrl+C or SIGTERM ends every app it started
before it exits. POSIX only: each app runs through the shell's ``exec``.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web
from textual_serve.server import Server

log = logging.getLogger("aria2-top")

SESSION_END_TIMEOUT = 15.0
"""How long the apps get to quit at shutdown (a private daemon may be stopping)."""


class DashboardServer(Server):
    """textual-serve's :class:`~textual_serve.server.Server` for the aria2-top app."""

    def __init__(
        self, command: str, *, host: str, port: int, url: str, origins: frozenset[str]
    ) -> None:
        super().__init__(command, host=host, port=port, title="aria2-top", public_url=url)
        self.origins = origins
        self._sessions: set[asyncio.Task[object]] = set()

    def serve(self, debug: bool = False) -> None:
        """textual-serve's own, announcing the address once it is bound (raises
        OSError when it cannot be)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self._announce,
        )

    def _announce(self, *_aiohttp_message: object) -> None:
        print(f"aria2-top: serving the dashboard at {self.public_url} (Ctrl+C stops it)")
        print("aria2-top: open it in a browser; each tab runs an app of its own", flush=True)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve's says its command, which may hold the RPC secret."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run an app for this tab, if the page asking is the one served here."""
        origin = request.headers.get("Origin", "").rstrip("/").lower()
        if origin not in self.origins:
            log.warning("refused an app to a page of another site (origin %r)", origin)
            raise web.HTTPForbidden(text="aria2-top opens apps only for its own page\n")
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self._sessions.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's session: textual-serve then tells its app to quit and waits
        for it. (Left to aiohttp, the server waits for the browsers to close their
        WebSockets: tens of seconds with a tab open.)"""
        sessions = list(self._sessions)
        for task in sessions:
            task.cancel()
        if sessions:
            await asyncio.wait(sessions, timeout=SESSION_END_TIMEOUT)
