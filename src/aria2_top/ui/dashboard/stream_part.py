"""Streaming torrents from their start while the app runs: each active torrent is
asked once (when it becomes active) whether it streams, and each one that does has
its head window moved forward every :data:`LOOK_SECONDS` as its file fills (the rule
is :mod:`.model.stream_window`; the call :func:`.ops.streaming.move_window`). Each
move goes in the event log (e)."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.model import format as fmt
from aria2_top.model.downloads import Download, DownloadKey, Snapshot, Status
from aria2_top.model.events import EventKind
from aria2_top.model.stream_window import head_of
from aria2_top.ops.streaming import is_streaming, move_window
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

LOOK_SECONDS = 1.0
"""Seconds between looks at a streamed torrent's pieces."""
ASK_AT_ONCE = 20
"""Active torrents asked whether they stream, at most, per snapshot."""


class StreamWindows:
    """The head windows of the streamed torrents of every daemon shown."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self.heads: dict[DownloadKey, int | None] = {}
        """Each active torrent looked at: its head window (None: it does not stream)."""
        self._looked: dict[DownloadKey, float] = {}
        self._busy: set[str] = set()
        """Daemons with a look under way."""

    def forget(self, key: DownloadKey) -> None:
        """``key``'s streaming changed (S): ask it again."""
        self.heads.pop(key, None)
        self._looked.pop(key, None)

    def snapshot_came(self, session: DaemonSession, snapshot: Snapshot) -> None:
        """Look at the streamed torrents of ``session`` that are due (in a worker)."""
        active = [d for d in snapshot.downloads if d.is_torrent and d.status is Status.ACTIVE]
        keys = {d.key for d in active}
        for key in [k for k in self.heads if k.daemon == session.name and k not in keys]:
            self.forget(key)  # no longer downloading: asked again when it is
        if session.name in self._busy:
            return
        now = time.monotonic()
        unknown = [d for d in active if d.key not in self.heads][:ASK_AT_ONCE]
        due = [
            d
            for d in active
            if self.heads.get(d.key) and now - self._looked.get(d.key, 0.0) >= LOOK_SECONDS
        ]
        if not unknown and not due:
            return
        self._busy.add(session.name)
        work = partial(self._look, session, unknown, due)
        in_worker(self._screen, work, f"stream-windows-{session.name}")

    async def _look(
        self, session: DaemonSession, unknown: list[Download], due: list[Download]
    ) -> None:
        try:
            for download in unknown:
                self.heads[download.key] = await self._head(session, download)
            for download in due:
                await self._move(session, download)
        finally:
            self._busy.discard(session.name)

    async def _head(self, session: DaemonSession, download: Download) -> int | None:
        try:
            options = await session.client.get_option(download.gid)
        except Aria2Error:
            return None  # gone or not answering: asked again when it is active again
        if not is_streaming(options):
            return None
        return head_of(options.get("bt-prioritize-piece"))

    async def _move(self, session: DaemonSession, download: Download) -> None:
        key = download.key
        head = self.heads.get(key)
        self._looked[key] = time.monotonic()
        if not head:
            return
        try:
            moved = await move_window(session.client, download.gid, head)
        except Aria2Error:
            return  # the next look tries again
        if moved is None:
            return
        self.heads[key] = moved
        self._screen.events.add(
            EventKind.STREAM,
            session.name,
            f"{fmt.safe_text(download.name)}: now its first {fmt.size(moved)} first "
            "(aria2 restarted it for this)",
        )
