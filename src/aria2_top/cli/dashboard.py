"""Running the dashboard: pick the daemons, run the app, let go of the private daemon."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aria2_top.cli.main import say
from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint, resolve_endpoints
from aria2_top.daemon.process import DaemonError
from aria2_top.rpc.errors import Aria2Error
from aria2_top.rpc.wire import redact_url
from aria2_top.ui.early_terminal import EarlyTerminal

if TYPE_CHECKING:
    from aria2_top.ui.app import Aria2TopApp

_log = logging.getLogger(__name__)


def _finish_private_daemon(endpoint: Endpoint, keep_daemon: bool) -> None:
    """Let go of the private daemon: the last aria2-top to quit stops it."""
    private = endpoint.private
    if private is None:
        return

    def stopping() -> None:
        say("aria2-top: saving the session and stopping the private aria2c…")

    try:
        stopped = asyncio.run(private.release(keep_running=keep_daemon, stopping=stopping))
    except (DaemonError, Aria2Error, OSError) as exc:
        say(f"aria2-top: could not stop the private daemon: {exc}", error=True)
        return
    daemon = private.daemon
    if keep_daemon:
        say(
            f"aria2-top: the private aria2c (pid {daemon.pid}) keeps running at {daemon.url}; "
            f"run aria2-top again to reconnect (its secret is in {daemon.conf_path})."
        )
    elif not stopped and not daemon.exited():
        say("aria2-top: the private aria2c keeps running for the other aria2-top using it.")


def _log_endpoints(endpoints: Sequence[Endpoint]) -> None:
    """Each daemon in the debug log: its address (without the secret), and the private
    daemon's process."""
    for endpoint in endpoints:
        url = redact_url(endpoint.url)
        private = endpoint.private
        where = (
            f"the private aria2c, pid {private.daemon.pid}, "
            + ("started now" if private.started else "already running")
            if private
            else ""
        )
        _log.info(
            "daemon %s (secret: %s)%s",
            url if endpoint.label == url else f"{endpoint.label} at {url}",
            "set" if endpoint.secret else "none",
            f"; {where}" if where else "",
        )


def run_app(settings: Settings, *, keep_daemon: bool, early: EarlyTerminal | None = None) -> int:
    """Pick the daemons, run the app until it quits, then let go of the private daemon.
    ``early``: the terminal with the first rows on it, for the app to take."""
    try:
        endpoints = asyncio.run(resolve_endpoints(settings))
    except DaemonError as exc:
        _log.error("no daemon: %s", exc)
        if early is not None:
            early.close()  # the words go on the shell's screen, not the first rows'
        print(f"aria2-top: {exc}", file=sys.stderr)
        return 1
    _log_endpoints(endpoints)

    # The app's modules, with no garbage collection meanwhile (~10% of the start):
    # what imports make lives as long as the process, so no collection finds garbage
    # in it; frozen, later collections do not walk it either.
    gc.disable()
    try:
        from aria2_top.ui.app import Aria2TopApp  # noqa: PLC0415 - keep --help fast
    finally:
        gc.freeze()
        gc.enable()

    app: Aria2TopApp = Aria2TopApp(endpoints, settings, early=early)
    try:
        app.run()
    finally:
        for note in app.exit_notes:
            say(f"aria2-top: {note}", error=True)
        for endpoint in endpoints:
            _finish_private_daemon(endpoint, keep_daemon)
    _log.info("aria2-top quit (exit status %d)", app.return_code or 0)
    return 1 if app.return_code else 0
