"""The stats bar: the link to the daemon and how old the data is, what was wrong with
the last reply, daemon-wide speeds and limits, counts, version."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from rich.text import Text

from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model import format as fmt
from aria2_top.model.downloads import GlobalStat
from aria2_top.model.query import View
from aria2_top.model.speed_samples import spark
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.text_line import TextLine

SPARK_WIDTH = 12
"""Seconds of daemon-wide ↓ speed drawn next to the figure."""

PROBLEM_WIDTH = 70
"""Characters of a reply problem shown in the bar (the rest is cut with …)."""


@dataclass(frozen=True, slots=True)
class Link:
    """What the bar knows about the link to the daemon (times: ``time.monotonic()``)."""

    status: PollStatus
    last_reply_at: float | None = None
    """When the last good reply came; None before the first."""
    busy_since: float | None = None
    """When the poll under way started; None between polls."""
    stale_after: float = 2.0
    """Seconds without a good reply after which the data is called old (2 intervals)."""
    events_live: bool = True

    def is_stale(self, now: float) -> bool:
        """True when the data shown may no longer be true: the last poll failed, or no
        good reply came for ``stale_after`` seconds."""
        if self.last_reply_at is None:
            return False  # nothing is shown yet
        if self.status.state is not PollState.CONNECTED:
            return True
        return now - self.last_reply_at >= self.stale_after


def _age(seconds: float) -> str:
    return fmt.duration(round(seconds)) or "0s"


_HEADLINES = {
    PollState.RECONNECTING: "✖ no connection",
    PollState.BAD_REPLY: "✖ bad reply from aria2",
    PollState.AUTH_FAILED: "✖ authentication failed: check the RPC secret",
}


def connection_text(
    link: Link, now: float, shows_data: bool = False, *, short: bool = False
) -> Text:
    """``● connected``; ``◌ no reply for 7s [stale]``; ``✖ no reply for 23s [stale] ·
    retry in 4s: cannot reach aria2 at …``; never a countdown stuck at 0s.
    ``shows_data``: rows are on screen, so say when they are stale; ``short``: the
    error's gist only (e shows it in full)."""
    state = link.status.state
    age = None if link.last_reply_at is None else now - link.last_reply_at
    waited = None if link.busy_since is None else now - link.busy_since
    stale = Text(" [stale]", style=tone("bold warn")) if shows_data and link.is_stale(now) else None
    if state is PollState.CONNECTED:
        if age is not None and age >= link.stale_after:
            text = Text(f"◌ no reply for {_age(age)}", style=tone("bold warn"))
        else:
            text = Text("● connected", style=tone("good"))
            if not link.events_live:
                text.append(" (no live events)", style=tone("warn"))
        return text.append_text(stale) if stale else text
    if state is PollState.CONNECTING:
        text = Text("○ connecting…", style=tone("warn"))
        if waited is not None and waited >= link.stale_after:
            text.append(f" no reply for {_age(waited)}", style=tone("bold warn"))
        return text
    if state is PollState.RECONNECTING and age is not None:
        text = Text(f"✖ no reply for {_age(age)}", style=tone("bold bad"))
    else:
        text = Text(_HEADLINES[state], style=tone("bold bad"))
        if age is not None:
            text.append(f" · last good reply {_age(age)} ago", style=tone("bold warn"))
    if stale:
        text.append_text(stale)
    retry_at = link.status.retry_at
    left = 0 if retry_at is None else math.ceil(retry_at - now)
    if link.busy_since is not None or left <= 0:
        text.append(" · retrying…", style=tone("bad"))
    else:
        text.append(f" · retry in {left}s", style=tone("bad"))
    if link.status.error and state is not PollState.AUTH_FAILED:
        error = short_error(link.status.error) if short else fmt.safe_text(link.status.error)
        text.append(f": {error}", style=tone("bad"))
    return text


SHORT_ERROR = 48
"""Characters of an error the bar shows; e shows it in full."""
_ADDRESS = re.compile(r"^(?:cannot reach aria2 at \S+: |[a-z]+://\S+ )")
"""The daemon's address at the start of an error: the bar names the daemon already."""


_MARKS = {
    PollState.CONNECTING: ("○", "warn"),
    PollState.CONNECTED: ("●", "good"),
    PollState.RECONNECTING: ("✖", "bold bad"),
    PollState.BAD_REPLY: ("✖", "bold bad"),
    PollState.AUTH_FAILED: ("✖", "bold bad"),
}


def fleet_text(links: tuple[tuple[str, Link], ...], now: float) -> Text:
    """Each daemon's link in a word or two: ``● nas  ◌ seedbox 7s  ✖ laptop auth``
    (D lists them in full)."""
    text = Text()
    for index, (name, link) in enumerate(links):
        mark, style = _MARKS[link.status.state]
        age = None if link.last_reply_at is None else now - link.last_reply_at
        if link.status.state is PollState.CONNECTED and link.is_stale(now) and age is not None:
            mark, style = "◌", "bold warn"
        style = tone(style)
        if index:
            text.append("  ")
        text.append(f"{mark} {fmt.safe_text(name)}", style=style)
        if link.status.state is PollState.AUTH_FAILED:
            text.append(" secret?", style=style)
        elif link.is_stale(now) and age is not None:
            text.append(f" {_age(age)}", style=style)
    return text


def short_error(error: str) -> str:
    """The gist of an error for the bar: the daemon's address is there already, so
    ``cannot reach aria2 at URL: connection refused…`` says ``connection refused…``;
    cut to :data:`SHORT_ERROR` characters, with ``(e: in full)`` when cut."""
    text = _ADDRESS.sub("", fmt.safe_text(error), count=1)
    if len(text) > SHORT_ERROR:
        text = text[: SHORT_ERROR - 1] + "… (e: in full)"
    return text


def problems_text(problems: tuple[str, ...]) -> Text:
    """``⚠ <first problem> (+2 more)``: what was wrong with the last reply."""
    if not problems:
        return Text()
    first = fmt.safe_text(problems[0])
    if len(first) > PROBLEM_WIDTH:
        first = first[: PROBLEM_WIDTH - 1] + "…"
    text = Text(f"  ⚠ {first}", style=tone("bold warn"))
    if len(problems) > 1:
        text.append(f" (+{len(problems) - 1} more)", style=tone("warn"))
    return text


def _fleet_limit(value: int | None, fleet: bool) -> str:
    """A limit; with a fleet, the sum of the daemons' limits, or ``mixed`` when some
    are limited and some not (see :func:`live.fleet.total_limit`)."""
    return "mixed" if fleet and value is None else fmt.limit(value)


@dataclass(frozen=True, slots=True)
class Counts:
    """How many downloads are in each state, as the view tabs count them."""

    active: int = 0
    waiting: int = 0
    paused: int = 0
    stopped: int = 0

    @classmethod
    def of_views(cls, counts: dict[View, tuple[int, int]]) -> Counts:
        """From the view tabs' counts (each view's all, whatever the filter)."""
        return cls(
            active=counts[View.ACTIVE][1],
            waiting=counts[View.WAITING][1],
            paused=counts[View.PAUSED][1],
            stopped=counts[View.DONE][1] + counts[View.ERRORS][1],
        )


def stats_text(
    stat: GlobalStat | None,
    version: str,
    label: str,
    link: Link,
    now: float,
    down_history: list[int] | None = None,
    problems: tuple[str, ...] = (),
    counts: Counts | None = None,
    width: int = 1000,
    fleet: tuple[tuple[str, Link], ...] = (),
    turtle: bool = False,
) -> Text:
    """The whole bar as one line of styled text (no markup is ever parsed).

    The link comes first: when it is broken, that matters most; then what was wrong
    with the last reply, then the speeds. Parts that do not fit ``width`` are left
    out whole, least needed first, so a number is never cut in half. With a
    ``fleet`` of daemons, each one's link is a word, and a limit is the sum of
    theirs, ``[mixed]`` when some are limited and some not (D shows each one's).
    With ``turtle`` (T), the word ``turtle`` stands before the speeds, whose
    brackets hold the limits in force.
    """
    # (rank: the lower, the longer it stays; the text; a shorter form or None)
    parts: list[tuple[int, Text, Text | None]] = [
        (
            (0, fleet_text(fleet, now), None)
            if fleet
            else (
                0,
                connection_text(link, now, shows_data=stat is not None),
                connection_text(link, now, shows_data=stat is not None, short=True),
            )
        ),
        (1, problems_text(problems), None),
    ]
    if turtle:
        parts.append((0, Text("  turtle", style=tone("bold warn")), None))
    if stat is not None:
        down = Text("  ↓ ", style=tone("bold good"))
        down.append(fmt.rate(stat.down_speed))
        down.append(f" [{_fleet_limit(stat.down_limit, bool(fleet))}]", style=tone("dim"))
        parts.append((0, down, None))
        if down_history:
            parts.append(
                (6, Text(" " + spark(down_history, SPARK_WIDTH), style=tone("good")), None)
            )
        up = Text("  ↑ ", style=tone("bold note"))
        up.append(fmt.rate(stat.up_speed))
        up.append(f" [{_fleet_limit(stat.up_limit, bool(fleet))}]", style=tone("dim"))
        parts.append((2, up, None))
        if counts is not None:
            full = Text(
                f"  active {counts.active:,} · waiting {counts.waiting:,}"
                f" · paused {counts.paused:,} · stopped {counts.stopped:,}"
            )
            short = Text(
                f"  act {counts.active:,} wait {counts.waiting:,}"
                f" paus {counts.paused:,} stop {counts.stopped:,}"
            )
            parts.append((3, full, short))
    parts.append((4, Text(f" · {fmt.safe_text(label)}", style=tone("dim")), None))
    if version:
        parts.append((5, Text(f" · aria2 {fmt.safe_text(version)}", style=tone("dim")), None))
    return _fit(parts, width)


def _fit(parts: list[tuple[int, Text, Text | None]], width: int) -> Text:
    """The parts in ``width`` cells, the least needed given up first: a part's short
    words only when its full ones do not fit once every less needed part is gone,
    then the part itself, whole, so that nothing is ever cut in the middle of a
    number; the link and ↓ stay, the link shortened last."""

    def total() -> int:
        return sum(part.cell_len for _, part, _ in parts)

    while total() > width:
        can_go = [i for i, (rank, _, short) in enumerate(parts) if rank >= 2 or short is not None]
        if not can_go:
            break
        worst = max(can_go, key=lambda index: (parts[index][0], index))
        rank, _, short = parts[worst]
        if short is not None:
            parts[worst] = (rank, short, None)
        else:
            del parts[worst]
    text = Text(no_wrap=True, overflow="ellipsis")
    for _, part, _ in parts:
        text.append_text(part)
    return text


class StatsBar(TextLine):
    """One line at the top; the app redraws it on each snapshot and on its clock."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.stat: GlobalStat | None = None
        self.version = ""
        self.problems: tuple[str, ...] = ()
        self.counts: Counts | None = None
        self.link = Link(PollStatus(PollState.CONNECTING))
        self.down_history: list[int] = []
        self.fleet: tuple[tuple[str, Link], ...] = ()
        """With several daemons: each one's name and link."""
        self.turtle = False
        """Turtle limits (T) are in force on a daemon."""

    def on_mount(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()  # another width: other parts fit

    def redraw(self) -> None:
        now = time.monotonic()
        self.set_text(
            stats_text(
                self.stat,
                self.version,
                self.label,
                self.link,
                now,
                self.down_history,
                self.problems,
                self.counts,
                self.content_size.width or 1000,
                self.fleet,
                self.turtle,
            )
        )
