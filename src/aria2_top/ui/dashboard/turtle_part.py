"""Turtle limits (T, ``[turtle]``): T switches every daemon shown to the turtle
global limits and back to exactly the limits each had; a schedule switches them at
its edges (a T pressed by hand wins until the next one); limits set otherwise while
turtle is on (L, +/-, O, another program) are kept and turtle ends for that daemon;
on quit, every daemon still in turtle gets its own limits back before the app lets
go. Each switch goes in the event log (e). The rules are in :mod:`.model.turtle`
and :mod:`.ops.turtle`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Snapshot
from aria2_top.model.events import EventKind
from aria2_top.model.format import safe_text
from aria2_top.model.turtle import Kept, ScheduleEdges, TurtlePlan
from aria2_top.ops.download_options import limit_words
from aria2_top.ops.turtle import TurtleError, turtle_off, turtle_on
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

CHECK_SECONDS = 30.0
"""Seconds between looks at the schedule (and one at start)."""
QUIT_DEADLINE = 15.0
"""Seconds quitting waits for the daemons to have their own limits back."""


@dataclass(slots=True)
class _DaemonTurtle:
    """One daemon's turtle: its plan, what is wanted, what is kept."""

    plan: TurtlePlan
    edges: ScheduleEdges | None
    wanted: bool = False
    kept: Kept | None = None
    """Its limits before turtle, while turtle is (or may be) in force."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    owed: bool = False
    """The schedule's turtle did not reach the daemon (no answer): tried again at
    each look while the schedule still wants it and no T said otherwise."""


def _limits(options: tuple[tuple[str, str], ...]) -> str:
    down, up = (int(v) if v.isdigit() else 0 for _, v in options)
    return f"↓ {limit_words(down)} ↑ {limit_words(up)}"


class DashboardTurtle:
    """T and the schedule of ``[turtle]`` while the app runs."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        settings = screen.settings.turtle
        self.clock: Callable[[], datetime] = datetime.now
        """The local time (tests give a fake clock)."""
        self.check_seconds = CHECK_SECONDS
        self._timer: Timer | None = None
        self._daemons: dict[str, _DaemonTurtle] = {}
        for session in screen.sessions:
            plan = settings.plan_for(session.name)
            edges = ScheduleEdges(plan.schedule) if plan.schedule else None
            self._daemons[session.name] = _DaemonTurtle(plan, edges)

    @property
    def on(self) -> bool:
        """Whether turtle is (or is being put) in force on any daemon."""
        return any(d.kept is not None for d in self._daemons.values())

    def start(self) -> None:
        """With a schedule: look at it now and every :attr:`check_seconds`."""
        if any(d.edges is not None for d in self._daemons.values()):
            self.check_schedule()
            self._timer = self._screen.set_interval(self.check_seconds, self.check_schedule)

    def toggle(self) -> None:
        """T: turtle on every daemon shown, or (when on anywhere) off everywhere."""
        wanted = not any(d.wanted or d.kept is not None for d in self._daemons.values())
        if wanted and all(d.plan.defaulted for d in self._daemons.values()):
            self._screen.notify(
                f"turtle: the default limits (↓ {limit_words(self._defaults()[0])} "
                f"↑ {limit_words(self._defaults()[1])}); [turtle] down and up in the "
                "config file set others"
            )
        for name, daemon in self._daemons.items():
            daemon.wanted, daemon.owed = wanted, False
            self._switch(name, "T")

    def _defaults(self) -> tuple[int, int]:
        plan = next(iter(self._daemons.values())).plan
        return plan.down, plan.up

    def check_schedule(self) -> None:
        """Switch each daemon whose schedule has reached an edge."""
        now = self.clock()
        for name, daemon in self._daemons.items():
            if daemon.edges is None:
                continue
            edge = daemon.edges.edge(now)
            if edge is False:
                daemon.owed = False
            elif edge is None and daemon.owed and daemon.edges.schedule.on_at(now):
                edge = True  # once more: the daemon did not answer last time
            if edge is None or edge == daemon.wanted:
                continue
            daemon.wanted = edge
            assert daemon.plan.schedule is not None
            self._switch(name, f"schedule {daemon.plan.schedule.words()}")

    def _switch(self, daemon: str, why: str) -> None:
        in_worker(self._screen, partial(self._apply, daemon, why), "turtle")

    async def _apply(self, name: str, why: str) -> None:
        """Bring ``name``'s daemon to what is wanted (the last wish wins)."""
        daemon = self._daemons[name]
        session = self._screen.session(name)
        async with daemon.lock:
            if daemon.wanted == (daemon.kept is not None):
                return
            if daemon.wanted:
                await self._turn_on(session, daemon, why)
            else:
                await self._turn_off(session, daemon, why)
            self._shown()
            session.wake()

    async def _turn_on(self, session: DaemonSession, daemon: _DaemonTurtle, why: str) -> None:
        plan = daemon.plan

        def keep(kept: Kept) -> None:
            daemon.kept = kept

        try:
            kept = await turtle_on(session.client, plan, keep)
        except TurtleError as exc:  # aria2 did not take them: its own are back
            daemon.wanted, daemon.kept = False, None
            self._say(session.name, f"turtle not on: {exc}", error=True)
            return
        except Aria2Error as exc:
            daemon.wanted = False
            if not daemon.owed:
                self._say(session.name, f"turtle not on: {exc}", error=True)
            daemon.owed = why.startswith("schedule")
            if daemon.kept is not None:
                await self._put_back(session, daemon)  # they may have been set
            return
        daemon.kept, daemon.owed = replace(kept, since=time.monotonic()), False
        self._say(
            session.name,
            f"turtle on ({why}): ↓ {limit_words(plan.down)} ↑ {limit_words(plan.up)} "
            f"(were {_limits(kept.options)})",
        )

    async def _turn_off(self, session: DaemonSession, daemon: _DaemonTurtle, why: str) -> None:
        kept = daemon.kept
        assert kept is not None
        if await self._put_back(session, daemon):
            self._say(session.name, f"turtle off ({why}): {_limits(kept.options)} again")
        else:
            daemon.wanted = True  # still in force: T or quitting tries again

    async def _put_back(self, session: DaemonSession, daemon: _DaemonTurtle) -> bool:
        """The limits kept back on the daemon; False (and said) when they are not."""
        kept = daemon.kept
        assert kept is not None
        try:
            outcome = await turtle_off(session.client, kept)
        except Aria2Error as exc:
            self._say(session.name, f"turtle: the limits kept are not back: {exc}", error=True)
            return False
        if outcome.kept:
            self._say(session.name, f"turtle: {outcome.message()}", error=True)
            return False
        daemon.kept = None
        return True

    def snapshot_came(self, session: DaemonSession, snapshot: Snapshot) -> None:
        """Limits other than turtle's, set after it: the user's; they stay and turtle
        ends for that daemon (nothing is put back)."""
        daemon = self._daemons.get(session.name)
        if daemon is None or daemon.kept is None or daemon.lock.locked():
            return
        stat = snapshot.stat
        if not daemon.kept.changed_since(stat.down_limit, stat.up_limit, snapshot.asked_at):
            return
        daemon.kept, daemon.wanted = None, False
        self._say(
            session.name,
            f"turtle off: the global limits were changed to ↓ {limit_words(stat.down_limit)} "
            f"↑ {limit_words(stat.up_limit)}; they stay",
        )
        self._shown()

    def _shown(self) -> None:
        bar = self._screen.stats_bar
        bar.turtle = self.on
        bar.redraw()

    def _say(self, daemon: str, text: str, *, error: bool = False) -> None:
        screen = self._screen
        screen.events.add(EventKind.TURTLE, daemon, text)
        where = f"{safe_text(daemon)}: " if screen.fleet else ""
        screen.notify(where + text, severity="error" if error else "information")

    async def put_back_all(self, deadline: float = QUIT_DEADLINE) -> list[str]:
        """On quit: every daemon still in turtle gets its own limits back; what became
        of each, in words for the terminal."""
        if self._timer is not None:
            self._timer.stop()
        held = [(name, d) for name, d in self._daemons.items() if d.kept is not None]

        async def one(name: str, daemon: _DaemonTurtle) -> str:
            kept = daemon.kept
            assert kept is not None
            session = self._screen.session(name)
            try:
                outcome = await asyncio.wait_for(turtle_off(session.client, kept), deadline)
            except (Aria2Error, TimeoutError) as exc:
                why = str(exc) or "no answer in time"
                return safe_text(f"{name}: turtle: the global limits could not be put back ({why})")
            if outcome.kept:
                return safe_text(f"{name}: turtle: {outcome.message()}")
            daemon.kept = None
            return f"{name}: turtle off, the global limits are back: {_limits(kept.options)}"

        return list(await asyncio.gather(*(one(name, d) for name, d in held)))
