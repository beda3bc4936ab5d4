"""What the debug screen (F12) shows, as plain text: versions, where the files are,
and per daemon its address (never its secret), aria2's version, its links and the
poller's timings. Every text from aria2 or the config is made safe to show."""

from __future__ import annotations

import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aria2_top.config.settings import Settings
from aria2_top.daemon.process import LOG_NAME as ARIA2C_LOG_NAME
from aria2_top.diagnostics.versions import versions_text
from aria2_top.live.poll_state import PollState
from aria2_top.live.poller import Poller
from aria2_top.live.session import DaemonSession
from aria2_top.model.format import safe_text
from aria2_top.rpc.wire import redact_url

NO_LOG = "off: run with --debug"
NOT_YET = "none yet"


@dataclass(frozen=True, slots=True)
class InfoSection:
    """A title and its (label, value) rows, every text safe to show."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class DebugInfo:
    """Everything the debug screen shows, section by section."""

    sections: tuple[InfoSection, ...]

    def text(self) -> str:
        """As plain text, for a bug report (it holds no secret)."""
        width = max((len(label) for s in self.sections for label, _ in s.rows), default=0)
        lines: list[str] = []
        for section in self.sections:
            if lines:
                lines.append("")
            lines.append(section.title)
            lines += [f"  {label.ljust(width)}  {value}" for label, value in section.rows]
        return "\n".join(lines) + "\n"


def seconds_text(seconds: float) -> str:
    """A duration as it reads best: ``3.2 ms``, ``1.25 s``, ``25 s``."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s"


def collect_debug_info(
    sessions: Sequence[DaemonSession],
    settings: Settings,
    log_path: Path | None,
    *,
    devtools: str = "off",
    history: str = "off",
    now: float | None = None,
) -> DebugInfo:
    """The debug screen's sections: the app, then each daemon. ``log_path``: the debug
    log being written (None: off); ``devtools``: the state of Textual's devtools in
    words; ``history``: the history of downloads' file and state in words;
    ``now``: ``time.monotonic()`` time (for the age of the last reply)."""
    now = time.monotonic() if now is None else now
    app = InfoSection(
        "aria2-top",
        (
            ("versions", versions_text()),
            ("platform", safe_text(platform.platform())),
            ("config file", safe_text(str(settings.config_path))),
            ("data folder", safe_text(str(settings.data_dir))),
            ("debug log", safe_text(str(log_path)) if log_path else NO_LOG),
            ("devtools", safe_text(devtools)),
            ("history", safe_text(history)),
            (
                "settings",
                f"interval {settings.interval:g} s · timeout {settings.timeout:g} s · "
                f"resync {settings.resync:g} s",
            ),
        ),
    )
    return DebugInfo((app, *(_daemon_section(s, now) for s in sessions)))


def _daemon_section(session: DaemonSession, now: float) -> InfoSection:
    endpoint = session.endpoint
    poller = session.poller
    secret = "secret: set" if endpoint.secret else "secret: none"
    return InfoSection(
        safe_text(session.name),
        (
            ("RPC URL", f"{safe_text(redact_url(endpoint.url))} ({secret})"),
            ("aria2", safe_text(poller.version) or "not known yet"),
            ("state", _state(poller, now)),
            ("notifications", _notifications(session)),
            ("private", _private(session)),
            ("last poll", _last_poll(poller)),
            ("last probe", seconds_text(poller.probe_seconds) if poller.probe_seconds else NOT_YET),
            ("resync", _resync(poller)),
            ("polls", f"{poller.ticks} answered, {poller.failed_ticks} failed"),
            ("last error", _last_error(poller)),
        ),
    )


def _state(poller: Poller, now: float) -> str:
    status = poller.status
    words = str(status.state)
    if status.state is PollState.CONNECTED and poller.last_reply_at is not None:
        return f"{words}, last reply {max(0.0, now - poller.last_reply_at):.1f} s ago"
    if status.retry_at is not None:
        return f"{words}, next try in {max(0.0, status.retry_at - now):.1f} s"
    return words


def _notifications(session: DaemonSession) -> str:
    if not session.listen:
        return "off (polling only)"
    return "live (WebSocket)" if session.events_live else "not live: polling only"


def _private(session: DaemonSession) -> str:
    private = session.endpoint.private
    if private is None:
        return "no"
    daemon = private.daemon
    log = private.state_dir / ARIA2C_LOG_NAME
    return f"yes: pid {daemon.pid}, its log {safe_text(str(log))}"


def _last_poll(poller: Poller) -> str:
    if not poller.ticks:
        return NOT_YET
    return (
        f"reply in {seconds_text(poller.last_rpc_seconds)}, "
        f"read in {seconds_text(poller.last_parse_seconds)}; "
        f"lists: {poller.last_lists.name.lower()}"
    )


def _resync(poller: Poller) -> str:
    in_force = poller.resync_in_force
    if in_force <= 0:
        return "every poll, in full (resync = 0)"
    if in_force > poller.resync:
        return (
            f"every {seconds_text(in_force)} (resync = {poller.resync:g} s; a probe "
            f"takes {seconds_text(poller.probe_seconds)})"
        )
    return f"every {seconds_text(in_force)}"


def _last_error(poller: Poller) -> str:
    if poller.last_error is None:
        return "none"
    at, error = poller.last_error
    return f"{time.strftime('%H:%M:%S', time.localtime(at))} {safe_text(error)}"
