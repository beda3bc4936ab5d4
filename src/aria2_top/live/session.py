"""One daemon of the fleet: its endpoint, RPC client, poller, notification listener
and speed history, run together and independently of the other daemons'.

Each session has its own poller with its own deadline: a dead, slow or unauthorised
daemon never delays another's rows. Its last snapshot stays, and the view marks its
rows stale until it answers again. A private daemon that vanished is restarted (or
joined, when another aria2-top restarted it) and the client and listener follow it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import DaemonError
from aria2_top.live.download_cache import Stamper
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.live.poller import Poller
from aria2_top.model.downloads import Snapshot
from aria2_top.model.speed_samples import SpeedHistory
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2Error
from aria2_top.rpc.notifications import (
    ConnectionState,
    Flood,
    ListenerStatus,
    Notification,
    NotificationListener,
)
from aria2_top.rpc.wire import redact_url

_log = logging.getLogger(__name__)

FLOOD_NOTICE_GAP = 60.0
"""Seconds between two notices that a daemon floods its notifications."""


@dataclass(frozen=True, slots=True)
class SessionEvents:
    """Where a session reports (each callback gets the session first)."""

    snapshot: Callable[[DaemonSession, Snapshot], object]
    status: Callable[[DaemonSession, PollStatus], object]
    events_live: Callable[[DaemonSession, bool], object]
    notice: Callable[[DaemonSession, str, bool], object]
    """Something to tell the user in words (True: an error)."""
    internal_error: Callable[[BaseException], str] | None = None


class DaemonSession:
    """One daemon, polled and listened to."""

    def __init__(
        self,
        name: str,
        endpoint: Endpoint,
        settings: Settings,
        events: SessionEvents,
        *,
        client: Aria2Client | None = None,
        listen: bool = True,
        epoch: float | None = None,
        stamper: Stamper | None = None,
    ) -> None:
        """``client`` replaces the endpoint's (tests pass one on a mock transport);
        ``listen=False`` skips the WebSocket listener (for deterministic snapshots);
        ``epoch``: the beat of the poller's ticks (the same for every session);
        ``stamper``: the history of downloads, which the poller tells of each change."""
        self.name = name
        self.endpoint = endpoint
        self.settings = settings
        self.events = events
        self.listen = listen
        self.client: Aria2Client = client or endpoint.client(settings)
        self.history = SpeedHistory()
        self.events_live = False
        self.poller = Poller(
            self.client,
            interval=settings.interval,
            on_snapshot=lambda snapshot: events.snapshot(self, snapshot),
            on_status=self._on_status,
            on_internal_error=events.internal_error,
            daemon=name,
            epoch=epoch,
            resync=settings.resync,
            stamper=stamper,
        )
        self._group: asyncio.TaskGroup | None = None
        self._listener: asyncio.Task[None] | None = None
        self._reviving = False
        self._flood_said_at = -FLOOD_NOTICE_GAP

    def __repr__(self) -> str:
        return f"DaemonSession({self.name!r}, {self.endpoint.label!r})"

    @property
    def status(self) -> PollStatus:
        return self.poller.status

    def is_local(self, download_dir: str) -> bool:
        """Whether this daemon's files are on this machine (its URL is loopback and its
        ``download_dir`` exists here), unless the endpoint says."""
        return self.endpoint.keeps_files_here(download_dir)

    @property
    def is_private(self) -> bool:
        return self.endpoint.private is not None

    async def run(self) -> None:
        """Poll and listen until cancelled."""
        async with asyncio.TaskGroup() as group:
            self._group = group
            group.create_task(self.poller.run())
            if self.listen:
                self._listener = group.create_task(self._listen())

    async def aclose(self) -> None:
        await self.client.aclose()

    def wake(self) -> None:
        """Poll again soon."""
        self.poller.wake()

    def _on_status(self, status: PollStatus) -> None:
        self.events.status(self, status)
        if (
            status.state is PollState.RECONNECTING
            and self.is_private
            and not self._reviving
            and self._group is not None
        ):
            self._reviving = True
            self._group.create_task(self._revive())

    async def _listen(self) -> None:
        ca_file = self.endpoint.ca_file or self.settings.ca_file
        listener = NotificationListener(self.endpoint.url, ca_file=ca_file)
        async for event in listener.events():
            if isinstance(event, Notification):
                self.poller.wake()
            elif isinstance(event, Flood):
                self._say_flood(event)
            elif isinstance(event, ListenerStatus):
                self._log_listener(event)
                self.events_live = event.state is ConnectionState.CONNECTED
                self.events.events_live(self, self.events_live)
                if self.events_live:
                    # aria2 never replays what happened while we were away.
                    self.poller.wake()

    def _say_flood(self, flood: Flood) -> None:
        """Say that the daemon floods its notifications (at most once a minute)."""
        now = time.monotonic()
        if now - self._flood_said_at < FLOOD_NOTICE_GAP:
            return
        self._flood_said_at = now
        _log.warning("%s: %s", self.name, flood.words())
        self.events.notice(self, flood.words(), True)

    def _log_listener(self, event: ListenerStatus) -> None:
        """The notifications' link in the debug log: its changes, and each failed try
        to connect at DEBUG level."""
        if event.state is ConnectionState.CONNECTED:
            _log.info("%s: notifications live", self.name)
        elif event.state is ConnectionState.DISCONNECTED:
            _log.log(
                logging.INFO if self.events_live else logging.DEBUG,
                "%s: notifications %s: %s (next try in %.1f s)",
                self.name,
                "lost" if self.events_live else "not live",
                event.error,
                event.retry_in or 0.0,
            )

    async def _revive(self) -> None:
        """The private daemon stopped answering: if it is gone, start it again (or join
        the one another aria2-top started); its session brings the downloads back."""
        try:
            changed = await self.endpoint.revive()
        except DaemonError as exc:
            _log.error("%s: cannot restart the private aria2c: %s", self.name, exc)
            self.events.notice(self, f"cannot restart the private aria2c: {exc}", True)
            return
        finally:
            self._reviving = False
        if not changed:
            return
        self._follow_endpoint()
        self.events.notice(
            self, "the private aria2c had stopped: it runs again, with its saved downloads", False
        )

    def _follow_endpoint(self) -> None:
        """The private daemon runs again (perhaps elsewhere): the client and the
        listener follow it, and the next poll comes now."""
        _log.info(
            "%s: the private aria2c runs again at %s", self.name, redact_url(self.endpoint.url)
        )
        self.client.retarget(self.endpoint.url, self.endpoint.secret)
        if self.listen and self._group is not None:
            if self._listener is not None:
                self._listener.cancel()
            self._listener = self._group.create_task(self._listen())
        self.poller.wake()

    async def restart_private(self) -> None:
        """Restart the private daemon keeping its downloads (see
        :meth:`Endpoint.restart`), and follow it; its stop meanwhile is not a
        vanishing to revive. Raises DaemonError or OSError when it failed (and the
        daemon is revived as a vanished one is)."""
        self._reviving = True
        try:
            await self.endpoint.restart()
        except (DaemonError, OSError):
            if self._group is not None:
                self._group.create_task(self._revive())  # which ends the reviving
            else:
                self._reviving = False
            raise
        self._reviving = False
        self._follow_endpoint()

    async def save_private_session(self) -> None:
        """Save the private daemon's session (aria2 itself only does on exit), so a
        crash of aria2c loses little; nothing for another daemon."""
        private = self.endpoint.private
        if private is not None:
            with contextlib.suppress(Aria2Error, OSError):
                await private.daemon.save_session()
