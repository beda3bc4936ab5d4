"""The stats bar: daemon-wide speeds and limits, counts, version, connection."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text

from aria2_top.core import format as fmt
from aria2_top.core.history import spark
from aria2_top.core.model import GlobalStat
from aria2_top.core.poller import PollState, PollStatus
from aria2_top.ui.widgets.text_line import TextLine


@dataclass(frozen=True, slots=True)
class Connection:
    """What the stats bar says about the link to the daemon."""

    status: PollStatus
    since: float  # time.monotonic() when the status was set
    events_live: bool = True


SPARK_WIDTH = 12
"""Seconds of daemon-wide ↓ speed drawn next to the figure."""


def _limit(value: int) -> str:
    return f"{fmt.size(value)}/s" if value else "∞"


def connection_text(connection: Connection, now: float, stale: bool = False) -> Text:
    """``● connected``, ``reconnecting in 3s: …``, or ``authentication failed``;
    ``stale`` adds a mark that the data shown is from before the failure."""
    status = connection.status
    if status.state is PollState.CONNECTED:
        text = Text("● connected", style="green")
        if not connection.events_live:
            text.append(" (no live events)", style="yellow")
        return text
    if status.state is PollState.CONNECTING:
        return Text("○ connecting…", style="yellow")
    left = max(0, round((status.retry_in or 0) - (now - connection.since)))
    if status.state is PollState.AUTH_FAILED:
        text = Text("✖ authentication failed: check the RPC secret", style="bold red")
    else:
        text = Text(f"✖ reconnecting in {left}s", style="bold red")
    if stale:
        text.append(" [stale]", style="bold yellow")
    if status.error and status.state is not PollState.AUTH_FAILED:
        text.append(f" ({fmt.safe_text(status.error)})", style="red")
    return text


def stats_text(
    stat: GlobalStat | None,
    version: str,
    label: str,
    connection: Connection,
    now: float,
    down_history: list[int] | None = None,
) -> Text:
    """The whole bar as one line of styled text (no markup is ever parsed).

    The connection comes first: when it is broken, that matters most.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(connection_text(connection, now, stale=stat is not None))
    if stat is not None:
        text.append("  ↓ ", style="bold green")
        text.append(fmt.speed(stat.down_speed) or "0B/s")
        text.append(f" [{_limit(stat.down_limit)}]", style="dim")
        if down_history:
            text.append(" " + spark(down_history, SPARK_WIDTH), style="green")
        text.append("  ↑ ", style="bold cyan")
        text.append(fmt.speed(stat.up_speed) or "0B/s")
        text.append(f" [{_limit(stat.up_limit)}]", style="dim")
        text.append(
            f"  active {stat.num_active} · waiting {stat.num_waiting}"
            f" · stopped {stat.num_stopped_total}"
        )
    if version:
        text.append(f"  aria2 {fmt.safe_text(version)}", style="dim")
    text.append(f" · {fmt.safe_text(label)}", style="dim")
    return text


class StatsBar(TextLine):
    """One line at the top; re-rendered on each snapshot and each second."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.stat: GlobalStat | None = None
        self.version = ""
        self.connection = Connection(PollStatus(PollState.CONNECTING), time.monotonic())
        self.down_history: list[int] = []

    def on_mount(self) -> None:
        self.set_interval(1.0, self.redraw)
        self.redraw()

    def redraw(self) -> None:
        now = time.monotonic()
        self.set_text(
            stats_text(self.stat, self.version, self.label, self.connection, now, self.down_history)
        )
