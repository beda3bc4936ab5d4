"""The Daemons screen's keys that manage a daemon: save its session now (s), show the
private daemon's log (v), restart the private daemon keeping its downloads (R), and
shut a daemon down once the user said yes to a question naming it (X)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual.notifications import SeverityLevel

from aria2_top.daemon.process import DaemonError, log_tail
from aria2_top.live.session import DaemonSession
from aria2_top.model.format import plural, safe_text
from aria2_top.model.masking import for_file
from aria2_top.rpc.errors import Aria2Error
from aria2_top.rpc.wire import redact_url
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen
    from aria2_top.ui.screens.daemons import DaemonActions

LOG_LINES = 200
"""Lines of the private daemon's log the screen shows (its end)."""
SHUT_DOWN = {"y": "yes", "n": "no"}


class DaemonCare:
    """s, v, R and X of the Daemons screen (each for the daemon under its cursor)."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    def actions(self) -> DaemonActions:
        from aria2_top.ui.screens.daemons import DaemonActions  # noqa: PLC0415 - on first use

        return DaemonActions(self.save_session, self.show_log, self.restart, self.shut_down)

    def _say(self, name: str, words: str, severity: SeverityLevel = "information") -> None:
        self._screen.notify(f"{safe_text(name)}: {words}", severity=severity)

    # -- s: save the session -------------------------------------------------------------

    def save_session(self, name: str) -> None:
        session = self._screen.session_named(name)
        if session is not None:
            in_worker(self._screen, partial(self._save, session), "daemon-save")

    async def _save(self, session: DaemonSession) -> None:
        private = session.endpoint.private
        try:
            if private is not None:
                await private.daemon.save_session()  # and keeps the file 0600
            else:
                await session.client.save_session()
        except (Aria2Error, OSError) as exc:
            self._say(session.name, f"session not saved: {safe_text(str(exc))}", "error")
            return
        self._say(session.name, "session saved")

    # -- v: the log ----------------------------------------------------------------------

    def show_log(self, name: str) -> None:
        session = self._screen.session_named(name)
        if session is None:
            return
        private = session.endpoint.private
        if private is None:
            self._say(
                name,
                "not aria2-top's private daemon: its log is on its own machine, where its "
                "log option says",
                "warning",
            )
            return
        in_worker(self._screen, partial(self._show_log, session), "daemon-log", exclusive=True)

    async def _show_log(self, session: DaemonSession) -> None:
        private = session.endpoint.private
        if private is None:
            return
        path = private.log_path
        try:
            lines = await asyncio.to_thread(log_tail, path, LOG_LINES)
        except OSError as exc:
            self._say(session.name, f"cannot read {path}: {exc.strerror or exc}", "error")
            return
        secrets = [session.endpoint.secret, private.daemon.secret]
        shown = [for_file(line, secrets) for line in lines]
        title = escape(f"Log of {safe_text(session.name)}")
        from aria2_top.ui.screens.log_view import LogScreen  # noqa: PLC0415 - on first use

        await self._screen.app.push_screen(LogScreen(title, for_file(str(path)), shown))

    # -- R: restart the private daemon ---------------------------------------------------

    def restart(self, name: str) -> None:
        session = self._screen.session_named(name)
        if session is None:
            return
        if not session.is_private:
            self._say(
                name,
                "only aria2-top's private daemon is restarted here: restart this one where it runs",
                "warning",
            )
            return
        in_worker(self._screen, partial(self._restart, session), "daemon-restart", exclusive=True)

    async def _restart(self, session: DaemonSession) -> None:
        self._say(session.name, "saving the session and restarting the private aria2c…")
        try:
            await session.restart_private()
        except (DaemonError, OSError) as exc:
            self._say(session.name, f"the restart failed: {safe_text(str(exc))}", "error")
            return
        private = session.endpoint.private
        pid = f" (pid {private.daemon.pid})" if private is not None else ""
        try:
            stat = await session.client.call("aria2.getGlobalStat")
            count = sum(int(stat.get(key, 0)) for key in ("numActive", "numWaiting"))
            back = f": {plural(count, 'download')} back from its session"
        except (Aria2Error, AttributeError, TypeError, ValueError):
            back = ""
        self._say(session.name, f"restarted the private aria2c{pid}{back}")

    # -- X: shut down ----------------------------------------------------------------------

    def shut_down(self, name: str) -> None:
        session = self._screen.session_named(name)
        if session is None:
            return
        if session.is_private:
            self._say(
                name,
                "the private aria2c stops when the last aria2-top using it quits (q); "
                "R restarts it",
                "warning",
            )
            return
        in_worker(self._screen, partial(self._ask_shut_down, session), "daemon-shutdown")

    async def _ask_shut_down(self, session: DaemonSession) -> None:
        name, address = safe_text(session.name), safe_text(redact_url(session.endpoint.url))
        note = Text(
            f"Shut down the aria2c {name} at {address}? Its downloads stop until it is "
            "started again (aria2 saves its session only if it was told where).",
        )
        options = [("yes", escape(f"y  Shut {name} down")), ("no", "n  Keep it running")]
        answer = await self._screen.app.push_screen_wait(
            ChooseScreen(escape(f"Shut down {name}"), options, "no", note, keys=SHUT_DOWN)
        )
        if answer != "yes":
            self._say(session.name, "kept running")
            return
        try:
            await session.client.shutdown()
        except Aria2Error as exc:
            self._say(session.name, f"not shut down: {safe_text(str(exc))}", "error")
            return
        self._say(session.name, "shutting down: aria2 stops in a few seconds")
