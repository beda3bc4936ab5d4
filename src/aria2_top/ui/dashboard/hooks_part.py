"""The dashboard's hooks (``[hooks]`` in the config): for each snapshot, the hooks
due (see :mod:`aria2_top.ops.hooks`) run in workers; how each ended goes in the event
log (e), and a hook that failed is said."""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Download, Snapshot
from aria2_top.model.events import EventKind
from aria2_top.model.hook_events import HookKind
from aria2_top.ops.hooks import Hook, HookRunner, parse_hooks
from aria2_top.storage.hook_ledger import HookLedger, ledger_path
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.workers import in_worker

REFINISHED_KINDS = frozenset({HookKind.COMPLETE, HookKind.BT_COMPLETE})
"""Ends a finished download added again by the app reaches again (see
``model/lineage.py``): their hooks ran for it once already."""

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class DashboardHooks:
    """Runs the configured hooks while the app runs."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        settings = screen.settings.hooks
        commands = {HookKind(key.removeprefix("on_")): words for key, words in settings.commands}
        self._hooks = parse_hooks(commands, append_args=False)
        self._runner: HookRunner | None = None
        self._timeout = settings.timeout

    def start(self) -> None:
        """Open the ledger of runs (none without hooks); a ledger that cannot be opened
        is said, and no hook runs."""
        if not self._hooks:
            return
        data_dir = self._screen.settings.data_dir
        try:
            ledger = HookLedger(ledger_path(data_dir))
        except (OSError, sqlite3.Error) as exc:
            self._screen.notify(f"hooks will not run: {exc}", severity="warning", timeout=30)
            return
        self._runner = HookRunner(self._hooks, ledger, data_dir, self._timeout)

    def stop(self) -> None:
        if self._runner is not None:
            self._runner.ledger.close()
            self._runner = None

    def snapshot_came(
        self, session: DaemonSession, before: Snapshot | None, after: Snapshot
    ) -> None:
        runner = self._runner
        if runner is None:
            return
        lineage = app_of(self._screen).download_history.lineage
        for hook, download in runner.due(session.name, before, after):
            if hook.kind in REFINISHED_KINDS and lineage.refinished(download.key):
                continue  # a finished download the app added again (V, M, r): no new end
            in_worker(self._screen, partial(self._run, session, hook, download), "hooks")

    async def _run(self, session: DaemonSession, hook: Hook, download: Download) -> None:
        runner = self._runner
        if runner is None:
            return
        run = await runner.run(session.client, hook, download)
        self._screen.events.add(EventKind.HOOK, session.name, run.words())
        if run.problem or run.code:
            self._screen.notify(run.words(), severity="warning")
