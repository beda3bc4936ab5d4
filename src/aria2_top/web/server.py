"""The web server of ``aria2-top --serve``: textual-serve's, made safer.

textual-serve runs the app for each browser tab that connects to its WebSocket. This
server lets in only the user:

- every request must carry the random token printed in the address at start (as
  Jupyter does): ``?token=…`` on the page, which then sets it as a cookie (HttpOnly,
  SameSite=Strict) for the page's own files; the WebSocket gets it in its address;
- the ``Host`` header must name the address served (or ``--public-host``), which
  closes the door DNS rebinding uses;
- apps open only for its own page (a WebSocket carries the ``Origin`` of the page that
  opened it; any other site the browser shows could otherwise script one);
- at most ``--max-sessions`` apps run at once; the next tab is told why.

It says its address in one line instead of its command (which may hold the RPC
secret), and on Ctrl+C or SIGTERM ends every app it started before it exits. POSIX
only: each app runs through the shell's ``exec``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

log = logging.getLogger("aria2-top")

SESSION_END_TIMEOUT = 15.0
"""How long the apps get to quit at shutdown (a private daemon may be stopping)."""


NOT_ALLOWED = "open the address aria2-top printed when it started (with its token)\n"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DashboardServer(Server):
    """textual-serve's :class:`~textual_serve.server.Server` for the aria2-top app."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        url: str,
        origins: frozenset[str],
        hosts: frozenset[str],
        token: str,
        max_sessions: int,
    ) -> None:
        super().__init__(command, host=host, port=port, title="aria2-top", public_url=url)
        self.origins = origins
        self.hosts = hosts
        """The ``Host`` headers answered (``127.0.0.1:8000``…)."""
        self.token = token
        self.max_sessions = max_sessions
        self.cookie = f"aria2-top-token-{port}"
        """Cookies are shared by every port of a host: each server has its own name."""
        self._sessions: set[asyncio.Task[object]] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Only the user: the right ``Host``, and the token (in the address, or the
        cookie the page was given)."""
        host = request.headers.get("Host", "").lower()
        if host not in self.hosts:
            log.warning("refused a request for host %r", host[:80])
            return web.Response(status=403, text=f"aria2-top answers only at {self.public_url}\n")
        given = request.query.get("token", "")
        by_address = bool(given) and hmac.compare_digest(given, self.token)
        by_cookie = hmac.compare_digest(request.cookies.get(self.cookie, ""), self.token)
        if not (by_address or by_cookie):
            log.warning("refused a request without the token (%s)", request.path[:80])
            return web.Response(status=403, text=NOT_ALLOWED)
        response = await handler(request)
        if by_address and request.path == "/":
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        return response

    def _full(self) -> bool:
        return len(self._sessions) >= self.max_sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, made for the host it was asked by (its files and WebSocket on the
        same one, so the cookie goes along), with the token in the WebSocket's
        address; once ``max_sessions`` apps run, a line that says so instead."""
        if self._full():
            return web.Response(status=503, text=self._full_words())
        base = f"{request.scheme}://{request.host}"
        socket = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{socket}/ws?token={self.token}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _full_words(self) -> str:
        return (
            f"aria2-top runs {self.max_sessions} apps at once (--max-sessions): close a "
            "tab, then reload this one\n"
        )

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
        address = f"{self.public_url}/?token={self.token}"
        print(f"aria2-top: serving the dashboard at {address} (Ctrl+C stops it)")
        print("aria2-top: open it in a browser; each tab runs an app of its own", flush=True)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve's says its command, which may hold the RPC secret."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run an app for this tab, if the page asking is the one served here."""
        origin = request.headers.get("Origin", "").rstrip("/").lower()
        if origin not in self.origins:
            log.warning("refused an app to a page of another site (origin %r)", origin)
            raise web.HTTPForbidden(text="aria2-top opens apps only for its own page\n")
        if self._full():
            log.warning("refused an app: %d run already", len(self._sessions))
            raise web.HTTPServiceUnavailable(text=self._full_words())
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
