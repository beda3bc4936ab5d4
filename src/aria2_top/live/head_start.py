"""The daemons polled while the terminal's code is still being imported.

At 10,000 downloads a start spends about 0.3 s importing Textual and the dashboard,
and about as long waiting for aria2 to list the downloads and reading its reply:
one after the other, they add up. :class:`HeadStart` makes the sessions and starts
them polling first, in the event loop the app then runs in, while the import runs in
a thread: aria2 lists the downloads while Python imports, and the dashboard's first
frame finds the rows read.

What the sessions report before the app takes them over (:meth:`HeadStart.hand_over`)
is held and then told in order: every notice, and of each session the newest
snapshot, poll status and notifications' state (a newer snapshot holds all an older
one said).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from pathlib import Path

from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.diagnostics.crash_report import write_crash_report
from aria2_top.live.poll_state import PollStatus
from aria2_top.live.session import DaemonSession, SessionEvents
from aria2_top.model.downloads import Snapshot
from aria2_top.storage.history_file import DownloadHistory


class HeadStart:
    """Sessions polling before there is an app to show what they find."""

    def __init__(
        self,
        endpoints: Sequence[Endpoint],
        settings: Settings,
        history: DownloadHistory,
    ) -> None:
        self.settings = settings
        self.history = history
        """The history of downloads the pollers tell of each change (the app's)."""
        self._snapshots: dict[DaemonSession, Snapshot] = {}
        self._statuses: dict[DaemonSession, PollStatus] = {}
        self._live: dict[DaemonSession, bool] = {}
        self._notices: list[tuple[DaemonSession, str, bool]] = []
        holding = SessionEvents(
            snapshot=self._snapshots.__setitem__,
            status=self._statuses.__setitem__,
            events_live=self._live.__setitem__,
            notice=lambda session, text, error: self._notices.append((session, text, error)),
            internal_error=self._report,
        )
        epoch = time.monotonic()  # every daemon is polled on the same beat
        self.sessions = [
            DaemonSession(endpoint.label, endpoint, settings, holding, epoch=epoch, stamper=history)
            for endpoint in endpoints
        ]
        self._tasks: dict[DaemonSession, asyncio.Task[None]] = {}
        self._app_ready = asyncio.Event()
        for session in self.sessions:
            # The first rows are read at once; the rest of a long list is fetched but
            # read once the app has drawn them (release): reading 10,000 downloads
            # takes Python's time, which the import and the first frame need first.
            session.poller.hold_lists = self._app_ready

    def start(self) -> None:
        """Start every session polling and listening (in the running event loop)."""
        for session in self.sessions:
            self._tasks[session] = asyncio.create_task(session.run(), name=session.name)

    @property
    def tasks(self) -> list[asyncio.Task[None]]:
        """The sessions' runs."""
        return list(self._tasks.values())

    @property
    def held_snapshots(self) -> int:
        """How many sessions have a snapshot waiting for the app."""
        return len(self._snapshots)

    def hand_over(self, events: SessionEvents) -> None:
        """From now on the sessions report to ``events``; what they reported so far
        is told there first."""
        for session in self.sessions:
            session.events = events
        for session, status in self._statuses.items():
            events.status(session, status)
        for session, live in self._live.items():
            events.events_live(session, live)
        for session, snapshot in self._snapshots.items():
            events.snapshot(session, snapshot)
        for session, text, error in self._notices:
            events.notice(session, text, error)
        self._snapshots.clear()
        self._statuses.clear()
        self._live.clear()
        self._notices.clear()

    def release(self) -> None:
        """Let the pollers read the rest of their lists (call it once the app has
        drawn the first rows)."""
        self._app_ready.set()

    async def follow(self, session: DaemonSession) -> None:
        """Wait on the session's run: cancelling this (the app's worker) cancels it."""
        await self._tasks[session]

    async def stop(self) -> None:
        """Stop the sessions and close their clients (when no app took them)."""
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for session in self.sessions:
            await session.aclose()

    def _report(self, error: BaseException) -> str:
        """An unexpected error in a poll before the app runs: its report, as the
        app writes one."""
        secrets = [session.endpoint.secret for session in self.sessions]
        path: Path | None = write_crash_report(
            error, self.settings.data_dir, [*secrets, self.settings.secret]
        )
        return str(path) if path else "not written"
