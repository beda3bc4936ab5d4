"""The link watch: the clock of the stats bar. How old each daemon's data is, which
daemons' rows are stale (dimmed), said the moment the data is two intervals old."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.timer import Timer

from aria2_top.config.settings import Settings
from aria2_top.live.session import DaemonSession
from aria2_top.ui.widgets.stats_bar import Link

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

MIN_STALE_AFTER = 1.0
DRAW_MARGIN = 0.1


def stale_after(settings: Settings) -> float:
    """Seconds without a good reply after which the bar says how old the data is: so
    that it is on screen within two intervals (drawing it takes a moment), but never
    sooner than a second (a fast interval would make every slow poll flicker)."""
    return max(2 * settings.interval - DRAW_MARGIN, MIN_STALE_AFTER)


class LinkWatch:
    """Each daemon's link as the bar shows it, and the stale daemons."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._timer: Timer | None = None
        self.stale: frozenset[str] = frozenset()
        """The daemons whose data is old (with several daemons)."""

    def link(self, session: DaemonSession) -> Link:
        poller = session.poller
        return Link(
            poller.status,
            last_reply_at=poller.last_reply_at,
            busy_since=poller.busy_since,
            stale_after=stale_after(self._screen.settings),
            events_live=session.events_live or not session.listen,
        )

    def is_stale(self, session: DaemonSession, now: float) -> bool:
        return self.link(session).is_stale(now)

    def start(self) -> None:
        screen = self._screen
        self.watch()
        screen.set_interval(min(0.5, screen.settings.interval / 2), self.watch)

    def replied(self) -> None:
        """A snapshot came: say "no reply" the moment it is two intervals old, not at
        the next tick of the clock."""
        self.watch()
        if self._timer is not None:
            self._timer.stop()
        screen = self._screen
        self._timer = screen.set_timer(screen.stats_bar.link.stale_after, self.watch)

    def watch(self) -> None:
        """Redraw the bar's links; dim the table (or, with several daemons, the rows of
        those) whose data is old."""
        screen = self._screen
        if not screen.is_attached:
            return
        now = time.monotonic()
        stats = screen.stats_bar
        links = [(s.name, self.link(s)) for s in screen.sessions]
        stats.link = links[0][1]
        stats.fleet = tuple(links) if screen.fleet else ()
        stats.redraw()
        stale = frozenset(name for name, link in links if link.is_stale(now))
        screen.table.set_class(len(stale) == len(links), "-stale")
        if screen.fleet and stale != self.stale:
            self.stale = stale
            screen.refresh_view()

    def stale_rows(self) -> frozenset[str]:
        """The daemons whose rows are drawn stale: with several daemons, those whose
        data is old while others' is not (all old: the whole table is dimmed)."""
        screen = self._screen
        if screen.fleet and len(self.stale) < len(screen.sessions):
            return self.stale
        return frozenset()
