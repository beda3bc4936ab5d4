"""The dashboard's watched folders (``watch`` in the config): while the app runs, the
files dropped there are added to one daemon (``watch_daemon``, else the first) by
:class:`~aria2_top.ops.folder_watcher.FolderWatcher`; each file added or invalid, and
each folder gone or back, goes in the event log (e), and trouble in a notice too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker

from aria2_top.live.session import DaemonSession
from aria2_top.model.events import EventKind
from aria2_top.ops.folder_watcher import FolderWatcher
from aria2_top.ops.watch_folder import FileLook, Taken, take
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class WatchedFolders:
    """Follows the watched folders from mount to unmount."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self.watcher: FolderWatcher | None = None
        self._session: DaemonSession | None = None
        self._worker: Worker[None] | None = None

    def start(self) -> None:
        """Start watching (nothing without ``watch``); a ``watch_daemon`` not in this
        view is said, and nothing is watched."""
        screen = self._screen
        settings = screen.settings
        if not settings.watch:
            return
        session = self._daemon(settings.watch_daemon)
        if session is None:
            said = (
                f"watch_daemon {settings.watch_daemon} is not among the daemons shown: "
                "the watched folders are not watched"
            )
            screen.events.add(EventKind.WATCH, "", said)
            screen.notify(said, severity="warning", timeout=30)
            return
        self._session = session
        self.watcher = FolderWatcher(settings.watch, self._take, self._tell)
        self._worker = in_worker(screen, self.watcher.run, "watch")

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _daemon(self, name: str | None) -> DaemonSession | None:
        """The daemon the folders add to: the only one, or ``name``, or the first."""
        sessions = self._screen.sessions
        if len(sessions) == 1 or name is None:
            return sessions[0]
        return self._screen.session_named(name)

    async def _take(self, look: FileLook) -> Taken:
        assert self._session is not None
        taken = await take(self._session.client, look)
        if taken.added:
            self._session.wake()
        return taken

    def _tell(self, text: str, trouble: bool) -> None:
        session = self._session
        daemon = session.name if session is not None else ""
        self._screen.events.add(EventKind.WATCH, daemon, text)
        if trouble:
            self._screen.notify(text, severity="warning", timeout=10)
        elif text.startswith("added "):
            self._screen.notify(text)
