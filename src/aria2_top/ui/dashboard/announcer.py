"""The announcer: which downloads started, finished or failed since the last
snapshot, into the event log, as notices (the first few by name), on the desktop
and with the bell when the config asks for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.downloads import Download, Snapshot
from aria2_top.model.downloads import finished_or_failed as endings
from aria2_top.model.events import EventKind, started
from aria2_top.model.format import plural
from aria2_top.model.lineage import news
from aria2_top.ui import desktop_notify
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

MAX_ANNOUNCED = 3
"""Finished and failed downloads named one by one per refresh; the rest counted."""


def failure_text(download: Download) -> str:
    """``name · aria2's reason``: how a failed download is named in notices and events
    (the reason holds parentheses of its own: ``3 (resource not found): …``)."""
    why = describe_error(download.error_code, download.error_message, torrent=download.is_torrent)
    return download.name + (f" · {why}" if why else "")


class Announcer:
    """Says what ended between two snapshots of a daemon."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    def announce(self, session: DaemonSession, before: Snapshot | None, after: Snapshot) -> None:
        screen = self._screen
        events = screen.events
        finished, failed = endings(before, after)
        if finished and before is not None:
            # A download the app added again (V, M, r) or a finished torrent resumed
            # finishes once only: see model/lineage.py.
            was = {d.gid: d for d in before.downloads}
            finished = news(finished, was, app_of(screen).download_history.lineage)
        where = f" on {session.name}" if screen.fleet else ""
        for begun in started(before, after):
            events.add(EventKind.STARTED, session.name, begun.name)
        for done in finished:
            events.add(EventKind.FINISHED, session.name, done.name)
        failures = [failure_text(lost) for lost in failed]
        for text in failures:
            events.add(EventKind.FAILED, session.name, text)
        if screen.settings.notify:
            self._desktop(finished, failed, where)
        for done in finished[:MAX_ANNOUNCED]:
            screen.notify(f"finished{where}: {done.name}", title="download")
        for text in failures[:MAX_ANNOUNCED]:
            screen.notify(f"failed{where}: {text}", title="download", severity="error")
        more = (
            len(finished)
            + len(failed)
            - min(len(finished), MAX_ANNOUNCED)
            - min(len(failed), MAX_ANNOUNCED)
        )
        if more > 0:
            screen.notify(f"… and {plural(more, 'more download')} ended")
        if (finished or failed) and screen.settings.bell:
            screen.app.bell()

    def _desktop(self, finished: list[Download], failed: list[Download], where: str) -> None:
        """Desktop notifications of what ended (``notify`` in the config file)."""
        lines = [f"finished{where}: {d.name}" for d in finished]
        lines += [f"failed{where}: {d.name}" for d in failed]
        if not lines:
            return
        shown = lines[:MAX_ANNOUNCED]
        if len(lines) > MAX_ANNOUNCED:
            shown.append(f"… and {len(lines) - MAX_ANNOUNCED} more")

        async def send() -> None:
            await desktop_notify.send("aria2-top", "\n".join(shown))

        in_worker(self._screen, send, "desktop")
