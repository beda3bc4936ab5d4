"""Which speeds aria2 reports are real: the one rule for the table, the stats bar and
the Speed tab (pure; the poller applies it as it parses, and everything after the
poller, the speed history included, sees only judged speeds).

aria2's speed of a download that just began to transfer is an average over a few
milliseconds: 16 MB/s after 16 KB, under a 300K/s limit. So:

- for its first :data:`SETTLE_SECONDS` of transferring (a start, a resume, the end of
  a hash check or of a magnet's metadata), a reported speed above
  :data:`SPIKE_FACTOR` times what it has really done since (plus
  :data:`SPIKE_SLACK`) is not believed: the rate of that progress is shown instead
  (checking against the last tick alone would not do: aria2 counts the bytes of a
  limited download in bursts, once a second);
- at any time, a speed above :data:`SPIKE_FACTOR` times the limit in force (plus the
  slack) cannot be real: aria2 keeps a limited download near its limit;
- a download first seen already transferring is believed at once only when what it
  has done is worth :data:`SETTLE_SECONDS` at that speed (it has run a while).
"""

from __future__ import annotations

from dataclasses import dataclass

SETTLE_SECONDS = 3.0
SPIKE_FACTOR = 2.0
SPIKE_SLACK = 64 * 1024
MIN_ELAPSED = 0.1
"""Seconds: progress over a shorter time says nothing of a rate."""


def plausible_speed(
    reported: int | None, done: int | None, now: float, since: tuple[int, float]
) -> int | None:
    """``reported`` if the progress made since it began to transfer (``since``: bytes
    done then, and when) backs it; else the rate of that progress."""
    if reported is None or done is None:
        return reported
    before, then = since
    observed = max(0, done - before) / max(now - then, MIN_ELAPSED)
    if reported > SPIKE_FACTOR * observed + SPIKE_SLACK:
        return int(observed)
    return reported


def within_limit(speed: int | None, limit: int | None) -> int | None:
    """``speed``, or ``limit`` when the speed is far above it (0 or None: no limit)."""
    if speed is None or not limit or speed <= SPIKE_FACTOR * limit + SPIKE_SLACK:
        return speed
    return limit


@dataclass(slots=True)
class SpeedWatch:
    """What the rule keeps of one direction (↓ or ↑) of one download between ticks."""

    phase: str = ""
    """What it was doing at the last tick (see :meth:`judge`); empty: not transferring."""
    since: tuple[int, float] | None = None
    """(bytes done, time) when it began to transfer, while its speed is not believed
    yet; None once it is, or while it does not transfer."""

    def judge(
        self,
        reported: int | None,
        done: int | None,
        now: float,
        *,
        phase: str,
        first_sight: bool,
        limit: int | None = None,
    ) -> int | None:
        """The speed to show for ``reported``; ``phase``: what the download does now
        (``active``, ``seeding``, ``checking``, ``metadata``; empty when it does not
        transfer): a new phase is a new start (see the module docstring)."""
        if not phase:
            self.phase, self.since = "", None
            return reported
        if phase != self.phase:
            ran_a_while = first_sight and (done or 0) >= SETTLE_SECONDS * (reported or 0)
            self.phase = phase
            self.since = None if ran_a_while else (done or 0, now)
        speed = reported
        if self.since is not None:
            if now - self.since[1] >= SETTLE_SECONDS:
                self.since = None
            else:
                speed = plausible_speed(reported, done, now, self.since)
        return within_limit(speed, limit)


def total_within(reported: int | None, judged_sum: int, limit: int | None) -> int | None:
    """A daemon's total speed: it is the sum of its downloads', so one left out of them
    as a spike is left out of it too; and never far above the global limit."""
    if reported is None:
        return None
    if reported > SPIKE_FACTOR * judged_sum + SPIKE_SLACK:
        reported = judged_sum
    return within_limit(reported, limit)
