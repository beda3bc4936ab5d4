"""``aria2-top listen``: follow every daemon (several at once, a restart of any) and
run a command when a download starts, is paused, finishes, fails, is stopped, or (a
torrent) has its data; with no command, print each event as it happens.

It polls as the dashboard does and wakes on aria2's notifications; a daemon that goes
away is waited for, and the ends it reached meanwhile are caught up on once it is
back. A hook never runs twice for one end (see :mod:`aria2_top.ops.hooks`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import signal
import sys

from aria2_top.cli.shell import DONE, USAGE, Daemon, daemons, run_verb, say
from aria2_top.config.settings import Settings
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.live.session import DaemonSession, SessionEvents
from aria2_top.model.downloads import Download, Snapshot
from aria2_top.model.format import safe_text
from aria2_top.model.hook_events import HookKind
from aria2_top.ops.hooks import DEFAULT_TIMEOUT, Hook, HookRun, HookRunner, parse_hooks
from aria2_top.storage.hook_ledger import HookLedger, ledger_path

STOP_GRACE = 5.0
"""Seconds hooks still running get to end when listen is told to stop."""


def configure_listen(parser: argparse.ArgumentParser) -> None:
    for kind in HookKind:
        parser.add_argument(
            kind.option,
            dest=kind.key,
            metavar="CMD",
            help=f"run CMD when a download {_WHEN[kind]} (GID, name, path, daemon appended)",
        )
    parser.add_argument(
        "--hook-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"stop a hook that runs longer (default {DEFAULT_TIMEOUT:g} s)",
    )


_WHEN = {
    HookKind.START: "starts",
    HookKind.PAUSE: "is paused",
    HookKind.COMPLETE: "finishes",
    HookKind.ERROR: "fails",
    HookKind.STOP: "is stopped (removed)",
    HookKind.BT_COMPLETE: "(a torrent) has all its data",
}


def listen_main(args: argparse.Namespace) -> int:
    commands: dict[HookKind, list[str]] = {}
    for kind in HookKind:
        text = getattr(args, kind.key)
        if text is None:
            continue
        try:
            commands[kind] = shlex.split(text)
        except ValueError as exc:
            say("listen", f"{kind.option}: {exc}")
            return USAGE
        if not commands[kind]:
            say("listen", f"{kind.option}: an empty command")
            return USAGE
    if not args.hook_timeout > 0:
        say("listen", "--hook-timeout must be more than 0")
        return USAGE
    return run_verb("listen", args, lambda settings: _listen(settings, commands, args))


async def _listen(
    settings: Settings, commands: dict[HookKind, list[str]], args: argparse.Namespace
) -> int:
    hooks = parse_hooks(commands, append_args=True)
    echo = not hooks
    if echo:  # no command: every event is printed
        hooks = [Hook(kind, ()) for kind in HookKind]
    ledger = HookLedger(None if echo else ledger_path(settings.data_dir))
    runner = HookRunner(hooks, ledger, None if echo else settings.data_dir, args.hook_timeout)
    async with daemons(settings) as reached:
        listener = Listener(runner, reached, echo=echo)
        try:
            await listener.run(settings)
        finally:
            ledger.close()
    return DONE


class Listener:
    """Each daemon's session, and the hooks its snapshots make due."""

    def __init__(self, runner: HookRunner, reached: list[Daemon], *, echo: bool) -> None:
        self.runner = runner
        self.reached = reached
        self.echo = echo
        self.fleet = len(reached) > 1
        self._before: dict[str, Snapshot] = {}
        self._states: dict[str, PollState] = {}
        self._running: set[asyncio.Task[HookRun]] = set()

    async def run(self, settings: Settings) -> None:
        events = SessionEvents(
            snapshot=self._snapshot,
            status=self._status,
            events_live=lambda _session, _live: None,
            notice=lambda session, text, _error: self._say(session.name, text),
        )
        sessions = [
            DaemonSession(d.name, d.endpoint, settings, events, client=d.client)
            for d in self.reached
        ]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, stop.set)
        names = ", ".join(d.address for d in self.reached)
        say("listen", f"listening to {names} (Ctrl+C stops)")
        tasks = [asyncio.create_task(s.run()) for s in sessions]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._running:
                await asyncio.wait(self._running, timeout=STOP_GRACE)

    def _say(self, daemon: str, text: str) -> None:
        say("listen", (f"{daemon}: " if self.fleet else "") + text)

    def _status(self, session: DaemonSession, status: PollStatus) -> None:
        before = self._states.get(session.name)
        self._states[session.name] = status.state
        if status.state is PollState.CONNECTED and before not in (None, PollState.CONNECTED):
            self._say(session.name, "the daemon answers again")
        elif status.state is not PollState.CONNECTED and before is PollState.CONNECTED:
            self._say(session.name, f"lost the daemon ({status.error}); waiting for it")

    def _snapshot(self, session: DaemonSession, snapshot: Snapshot) -> None:
        due = self.runner.due(session.name, self._before.get(session.name), snapshot)
        if not snapshot.partial:
            self._before[session.name] = snapshot
        for hook, download in due:
            if self.echo:
                self._event(hook.kind, download)
                continue
            task = asyncio.create_task(self.runner.run(session.client, hook, download))
            self._running.add(task)
            task.add_done_callback(self._ran)

    def _event(self, kind: HookKind, download: Download) -> None:
        where = f"{download.daemon}\t" if self.fleet else ""
        print(f"{where}{kind}\t{download.gid}\t{safe_text(download.name)}", flush=True)

    def _ran(self, task: asyncio.Task[HookRun]) -> None:
        self._running.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._say("", f"a hook could not run: {error}")
            return
        run = task.result()
        where = f"{run.download.daemon}: " if self.fleet else ""
        print(where + safe_text(run.words()), file=sys.stdout, flush=True)
