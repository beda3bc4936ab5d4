"""The Textual application: its lifecycle. It makes one session per daemon, shows
the dashboard, writes the report of an unexpected error, saves the private
daemon's session now and then, and quits cleanly on SIGHUP and SIGTERM.

What the user sees and does is the :class:`DashboardScreen`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen

from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.diagnostics.crash_report import write_crash_report
from aria2_top.live.session import DaemonSession, SessionEvents
from aria2_top.model.format import safe_text
from aria2_top.ops.unfinished import Unfinished
from aria2_top.rpc.client import Aria2Client
from aria2_top.storage.history_file import DownloadHistory, history_path
from aria2_top.ui.dashboard import DashboardScreen, EventsLive, PollStatusChanged, SnapshotArrived
from aria2_top.ui.early_terminal import EarlyTerminal
from aria2_top.ui.idle_gc import IdleCollector
from aria2_top.ui.keymap import check_keymap
from aria2_top.ui.keys import palette_entries, shown_keys
from aria2_top.ui.notice_text import Notice, notice_width, wrap_notice
from aria2_top.ui.tones import readable_variables, use_theme

_log = logging.getLogger(__name__)

UNFINISHED_DEADLINE = 60.0
"""Seconds quitting waits for remove-and-add actions under way (see ops/readd.py)."""
SESSION_SAVE_INTERVAL = 60.0
"""Seconds between saves of the private daemon's session."""


class Aria2TopApp(App[None]):
    """aria2-top's main application."""

    TITLE = "aria2-top"
    CSS_PATH = Path(__file__).with_name("app.tcss")

    def __init__(
        self,
        endpoints: Endpoint | Sequence[Endpoint],
        settings: Settings,
        *,
        client: Aria2Client | None = None,
        listen: bool = True,
        early: EarlyTerminal | None = None,
    ) -> None:
        """One session per endpoint (its label names the daemon). ``client`` replaces
        the one daemon's (tests pass one on a mock transport); ``listen=False`` skips
        the WebSocket listeners (for deterministic snapshots). ``early``: the terminal
        with the first rows on it (:mod:`aria2_top.ui.first_rows`), to take over."""
        driver = None
        if early is not None:
            from aria2_top.ui.handover_driver import driver_after  # noqa: PLC0415 - POSIX only

            driver = driver_after(early)
        super().__init__(driver_class=driver)
        self._early = early
        if isinstance(endpoints, Endpoint):
            endpoints = [endpoints]
        self.settings = settings
        use_theme(self.current_theme)  # before any widget takes its colours
        self.crash_report: Path | None = None
        """Where the report of the error that ended the app went (None: no such error)."""
        self.started_by = os.getppid()
        """The process that started this one: in a browser tab, the ``--serve`` server."""
        self._internal_reports: dict[str, str] = {}
        self.key_in_hand: str | None = None
        self.idle_gc = IdleCollector()
        """The key being handled, while it is (the dashboard's keys step aside for
        text fields by it)."""
        events = SessionEvents(
            snapshot=lambda s, snapshot: self._to_dashboard(SnapshotArrived(s, snapshot)),
            status=lambda s, status: self._to_dashboard(PollStatusChanged(s, status)),
            events_live=lambda s, live: self._to_dashboard(EventsLive(s, live)),
            notice=self._notice,
            internal_error=self._report_internal_error,
        )
        self.download_history = DownloadHistory(
            history_path(settings.data_dir) if settings.history else None, settings.history_max
        )
        self._history_problem_said = False
        self.saved_theme = ""
        """The theme in force at start, or as the setup saved it: one chosen
        otherwise (the palette's "Change theme") is saved when the app quits."""
        self.exit_notes: list[str] = []
        """What to say on the terminal once the app has quit."""
        self.quitting = False
        self.keymap: dict[str, str] = {}
        """The keys the user moved (``[keymap]``), as applied with ``set_keymap``."""
        """The app was told to quit (see :meth:`exit`)."""
        self.unfinished = Unfinished()
        """Remove-and-add actions under way: they end before the app lets go."""
        epoch = time.monotonic()  # every daemon is polled on the same beat
        self.sessions = [
            DaemonSession(
                endpoint.label,
                endpoint,
                settings,
                events,
                client=client if len(endpoints) == 1 else None,
                listen=listen,
                epoch=epoch,
                stamper=self.download_history,
            )
            for endpoint in endpoints
        ]
        self.dashboard = DashboardScreen(self.sessions, settings)

    @property
    def endpoint(self) -> Endpoint:
        """The first daemon's endpoint (the only one, without a fleet)."""
        return self.sessions[0].endpoint

    @property
    def client(self) -> Aria2Client:
        return self.sessions[0].client

    def get_default_screen(self) -> Screen[None]:
        return self.dashboard

    def rows_drawn(self) -> None:
        """The dashboard's table shows what a poll found: the first rows drawn before
        the app (if any) give way to it once this frame is on screen."""
        early, self._early = self._early, None
        if early is not None:
            self.call_after_refresh(early.app_drawn)

    def _to_dashboard(self, message: SnapshotArrived | PollStatusChanged | EventsLive) -> None:
        if self.is_running:
            self.dashboard.post_message(message)

    def _notice(self, session: DaemonSession, text: str, error: bool) -> None:
        where = f"{session.name}: " if len(self.sessions) > 1 else ""
        self.notify(where + text, severity="error" if error else "information")

    def on_mount(self) -> None:
        self._use_chosen_theme()
        self.saved_theme = self.theme
        keymap, problems = check_keymap(dict(self.settings.keymap))
        self.keymap = keymap
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=24 * 3600)
        self.idle_gc.start()
        self.set_interval(1.0, self.idle_gc.maybe_collect)
        self.set_interval(1.0, self._say_history_problem)
        for session in self.sessions:
            self.run_worker(session.run(), name=f"session {session.name}", group="sessions")
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=24 * 3600)
        if any(session.is_private for session in self.sessions):
            self.set_interval(SESSION_SAVE_INTERVAL, self._save_sessions)
        if not self.is_headless and sys.platform != "win32":
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                # Closing the terminal or `kill` quits cleanly: the private daemon is
                # saved and stopped as on q.
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(number, self.exit)
        if self.is_web:
            # A browser tab's app (aria2-top --serve): should the server be killed
            # outright, nothing reads this app any more; it quits (letting go of the
            # private daemon) instead of running on unseen.
            self.set_interval(1.0, self._quit_if_orphaned)

    def _quit_if_orphaned(self) -> None:
        if os.getppid() != self.started_by:
            self.exit()

    def _use_chosen_theme(self) -> None:
        theme = self.settings.theme
        if theme is None:
            return
        if theme in self.available_themes:
            self.theme = theme
        else:
            known = ", ".join(sorted(self.available_themes))
            self.notify(f"no theme named {theme!r} (there are: {known})", severity="warning")

    def watch_theme(self) -> None:
        """The colours of states and warnings follow the theme (before it is drawn)."""
        use_theme(self.current_theme)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables with every text colour (the footer's keys among them)
        raised to 4.5:1 contrast where the theme leaves it short (see ui/tones.py)."""
        variables = readable_variables(super().get_css_variables())
        self.theme_variables = variables
        return variables

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text, whatever a caller asks (widgets pass Textual's
        default, markup on): notices carry names, errors and paths from aria2 or
        typed by the user, never to be read as markup nor to reach the terminal as
        control characters. Line breaks stay, and the lines break between phrases
        (ui/notice_text.py)."""
        text = "\n".join(safe_text(line) for line in message.split("\n"))
        lines = wrap_notice(text, notice_width(self.size.width))
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self.post_message(Notify(Notice(lines, safe_text(title), severity, timeout, words=text)))

    def _say_history_problem(self) -> None:
        """Once: why the history of downloads is not recorded (the app goes on)."""
        problem = self.download_history.problem
        if problem and not self._history_problem_said:
            self._history_problem_said = True
            self.notify(problem, severity="warning", timeout=30)

    async def _save_sessions(self) -> None:
        for session in self.sessions:
            await session.save_private_session()

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Quit: the keys and clicks still on their way are dropped (``qe`` typed in
        one burst must not open the events screen on an app that is going)."""
        self.quitting = True
        super().exit(result, return_code, message)

    async def on_event(self, event: events.Event) -> None:
        """Note the key being handled, for the dashboard's ``check_action``; once
        quitting, keys and clicks go nowhere."""
        if self.quitting and isinstance(event, events.Key | events.MouseEvent):
            event.stop()
            event.prevent_default()
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.idle_gc.key_pressed()
            self.key_in_hand = event.key
            try:
                await super().on_event(event)
            finally:
                self.key_in_hand = None
        else:
            await super().on_event(event)

    # -- the unexpected --------------------------------------------------------------

    def _secrets(self) -> list[str | None]:
        return [s.endpoint.secret for s in self.sessions] + [self.settings.secret]

    def _report_internal_error(self, error: BaseException) -> str:
        """The poller met an error no reply should cause: record it (once per kind of
        error, not at every poll), keep running."""
        key = f"{type(error).__name__}: {error}"
        if key not in self._internal_reports:
            path = write_crash_report(error, self.settings.data_dir, self._secrets())
            self._internal_reports[key] = str(path) if path else "not written"
        return self._internal_reports[key]

    def report_unexpected(self, error: BaseException, where: str) -> None:
        """An error no worker expected (a bug, see ui/workers.py): say it, write the
        report, keep running."""
        path = write_crash_report(error, self.settings.data_dir, self._secrets())
        _log.error("unexpected error in %s (report: %s)", where, path, exc_info=error)
        report = f"a report is in {path}" if path else "no report could be written"
        self.notify(
            f"unexpected {type(error).__name__} in {where}: {report}",
            severity="error",
        )

    def _handle_exception(self, error: Exception) -> None:
        self.crash_report = write_crash_report(error, self.settings.data_dir, self._secrets())
        _log.error(
            "the app stops: unexpected error (report: %s)", self.crash_report, exc_info=error
        )
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's own would print a traceback with local variables (the secret among
        them): say in one line what happened and where the report is."""
        self.bell()
        where = (
            f"a report is in {self.crash_report}"
            if self.crash_report
            else "no report could be written"
        )
        error = self._exception
        what = f"{type(error).__name__}" if error else "an unexpected error"
        self.panic(Text(f"aria2-top stopped on an unexpected error ({what}): {where}"))

    def _save_theme(self) -> None:
        theme = self.theme
        if not self.saved_theme or theme == self.saved_theme:
            return
        try:
            from aria2_top.config.writer import save_setup  # noqa: PLC0415 - tomlkit, on first use

            save_setup(self.settings.config_path, None, theme)
        except ConfigError as exc:
            self.exit_notes.append(f"the theme {theme!r} was not saved: {exc}")
        else:
            self.saved_theme = theme

    async def on_unmount(self) -> None:
        self._save_theme()
        self.idle_gc.stop()
        # A download out of aria2 to be added again is back before the clients close
        # (and before the private daemon saves its session and stops).
        self.exit_notes += await self.unfinished.finish(UNFINISHED_DEADLINE)
        # A daemon in turtle (T) gets its own global limits back before we let go.
        self.exit_notes += await self.dashboard.turtle.put_back_all()
        for session in self.sessions:
            await session.aclose()
        self.download_history.close()

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in palette_entries():
            yield SystemCommand(
                spec.description,
                f"key: {shown_keys(spec, self.keymap)}",
                partial(self.run_action, spec.action, self.dashboard),
            )
