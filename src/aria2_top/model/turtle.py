"""Turtle limits (T), as Transmission's and qBittorrent's alternative speed limits:
the rules, with no daemon and no clock of their own.

- :class:`TurtleConfig`: ``[turtle]`` (or a daemon's ``turtle`` table) as written,
  each key None when not given; a daemon's own keys override the global ones
  (:meth:`TurtleConfig.under`).
- :func:`turtle_plan`: the limits T sets (defaults when none are configured) and
  the schedule, if any.
- :class:`Schedule`: whether turtle is due at a local time: ``from`` to ``to`` on the
  ``days`` (a range past midnight ends the next morning); :class:`ScheduleEdges`:
  when it changes (the schedule acts on its edges only, so a T pressed by hand wins
  until the next one).
- :class:`Kept`: a daemon's global limits as they were before turtle, to be put
  back exactly, and whether the user changed the limits meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days as ``days`` names them (``datetime.weekday()`` order)."""
EVERY_DAY = frozenset(range(7))
DEFAULT_DOWN = 50 * 1024
"""↓ bytes/s of turtle when no ``down`` is configured (50K)."""
DEFAULT_UP = 10 * 1024
"""↑ bytes/s of turtle when no ``up`` is configured (10K)."""


@dataclass(frozen=True, slots=True)
class TurtleConfig:
    """A turtle table as written: each value None when the key is not there."""

    down: int | None = None
    up: int | None = None
    start: time | None = None
    """``from``."""
    end: time | None = None
    """``to``."""
    days: frozenset[int] | None = None

    def under(self, base: TurtleConfig) -> TurtleConfig:
        """These keys over ``base``'s: a daemon's own over the global ``[turtle]``."""
        values = {}
        for item in fields(self):
            own = getattr(self, item.name)
            values[item.name] = own if own is not None else getattr(base, item.name)
        return TurtleConfig(**values)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When turtle is due: from ``start`` to ``end`` (local times) on ``days``; a
    range past midnight (22:00 to 06:00) starts on a listed day and ends the next
    morning. Without times: the whole of each listed day."""

    start: time | None
    end: time | None
    days: frozenset[int] = EVERY_DAY

    def on_at(self, now: datetime) -> bool:
        """Whether turtle is due at the local time ``now``."""
        day = now.weekday()
        moment = now.time().replace(tzinfo=None)
        start, end = self.start, self.end
        if start is None or end is None:
            return day in self.days
        if start < end:
            return day in self.days and start <= moment < end
        yesterday = (day - 1) % 7
        return (day in self.days and moment >= start) or (yesterday in self.days and moment < end)

    def words(self) -> str:
        """``08:00–18:00 mon tue``; ``every day``; ``all day sat sun``."""
        days = (
            "every day" if self.days == EVERY_DAY else " ".join(DAYS[d] for d in sorted(self.days))
        )
        if self.start is None or self.end is None:
            return f"all day {days}" if self.days != EVERY_DAY else "all day"
        return f"{self.start:%H:%M}–{self.end:%H:%M} {days}"


@dataclass(frozen=True, slots=True)
class TurtlePlan:
    """What turtle does for one daemon: the limits it sets, and when (None: by T
    only)."""

    down: int = DEFAULT_DOWN
    up: int = DEFAULT_UP
    schedule: Schedule | None = None
    defaulted: bool = True
    """Neither ``down`` nor ``up`` is configured: the defaults are used."""


def turtle_plan(config: TurtleConfig) -> tuple[TurtlePlan, str | None]:
    """The plan of ``config``, and what is wrong with its schedule (then left out)."""
    down = DEFAULT_DOWN if config.down is None else config.down
    up = DEFAULT_UP if config.up is None else config.up
    defaulted = config.down is None and config.up is None
    start, end, days = config.start, config.end, config.days
    problem = None
    schedule: Schedule | None = None
    if (start is None) != (end is None):
        problem = "a schedule needs both from and to: no schedule"
    elif start is not None and start == end:
        problem = "from and to are the same time: no schedule"
    elif start is not None or days is not None:
        schedule = Schedule(start, end, EVERY_DAY if days is None else days)
    return TurtlePlan(down, up, schedule, defaulted), problem


class ScheduleEdges:
    """Which way a schedule pointed at the last look: only a change (an edge) acts,
    so turtle switched by hand stays so until the schedule's next edge."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._last: bool | None = None

    def edge(self, now: datetime) -> bool | None:
        """True: turtle is due from now on; False: it ends now; None: no change. At
        the first look, inside the range is an edge (turtle starts with the app)
        and outside it is not (nothing to end)."""
        due = self.schedule.on_at(now)
        before, self._last = self._last, due
        if before is None:
            return True if due else None
        return due if due != before else None


@dataclass(frozen=True, slots=True)
class Kept:
    """A daemon's global limits before turtle (as aria2 gave them, put back
    exactly), the turtle limits set, and when aria2 had them (``time.monotonic()``;
    None while being set)."""

    options: tuple[tuple[str, str], ...]
    turtle: tuple[int, int]
    since: float | None = None

    def changed_since(self, down_limit: int | None, up_limit: int | None, asked_at: float) -> bool:
        """Whether a poll asked at ``asked_at`` finds limits other than turtle's:
        someone (L, +/-, O, another program) set new ones since; they are kept and
        turtle ends."""
        if self.since is None or asked_at <= self.since:
            return False
        if down_limit is None or up_limit is None:
            return False
        return (down_limit, up_limit) != self.turtle
