"""File selections aria2 applies later: after the Files tab's ``A`` on a running
download, each poll of its daemon asks aria2 (one getOption per such download, for
the few seconds it waits) whether the selection is in effect; while it waits, the
row's status, the Files tab and the Overview say why, and ``A`` again applies it
now (see model/selection_wait.py and ops/selection_now.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.model import fields
from aria2_top.model.downloads import DownloadKey, Snapshot
from aria2_top.model.format import safe_text
from aria2_top.model.selection_wait import (
    APPLY_NOW,
    Hold,
    apply_now_words,
    hold_of,
    hold_words,
    selected_indexes,
)
from aria2_top.ops.selection_now import CannotStartNow, start_now, stop_now
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

WATCH_FOR = 600.0
"""Seconds a selection is followed at most (a slot may take long to free)."""
STOPPING_GRACE = 2.0
"""Seconds aria2 may take to stop a download before that is a wait worth a word
(with a tracker that answers, it takes well under one)."""


@dataclass
class _Watched:
    wanted: frozenset[int] | None
    since: float = field(default_factory=time.monotonic)
    hold: Hold | None = None
    said: set[Hold] = field(default_factory=set)


class SelectionWaits:
    """The selections applied from the Files tab that aria2 has not put in effect."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._watched: dict[DownloadKey, _Watched] = {}
        self.words: dict[DownloadKey, str] = {}
        """Why each waits, in words (the pane and the Files tab say it)."""

    def watch(self, key: DownloadKey, value: str) -> None:
        """``select-file`` ``value`` was just sent for the running download ``key``."""
        self._watched[key] = _Watched(selected_indexes(value))

    def snapshot_came(self, session: DaemonSession, snapshot: Snapshot) -> None:
        keys = [key for key in self._watched if key.daemon == session.name]
        if keys:
            look = partial(self._look, session, snapshot, keys)
            in_worker(self._screen, look, f"selection-wait-{session.name}", exclusive=True)

    async def _look(
        self, session: DaemonSession, snapshot: Snapshot, keys: list[DownloadKey]
    ) -> None:
        calls = [RpcCall("aria2.getGlobalStat", [])]
        for key in keys:
            calls += [
                RpcCall("aria2.tellStatus", [key.gid, ["status"]]),
                RpcCall("aria2.getOption", [key.gid]),
            ]
        try:
            replies = await session.client.multicall(calls)
        except Aria2Error:
            return  # the poll says the daemon is gone; look again at the next one
        stat = replies[0] if isinstance(replies[0], dict) else {}
        active, most = fields.count(stat.get("numActive")), snapshot.stat.max_concurrent
        names = {d.key: d.name for d in snapshot.downloads}
        now = time.monotonic()
        for number, key in enumerate(keys):
            watched = self._watched.get(key)
            status, options = replies[1 + 2 * number : 3 + 2 * number]
            if watched is None:
                continue
            applied = isinstance(options, dict) and (
                selected_indexes(options.get("select-file")) == watched.wanted
            )
            state = status.get("status") if isinstance(status, dict) else None
            hold = hold_of(state, applied, active, most)
            if hold is Hold.STOPPING and now - watched.since < STOPPING_GRACE:
                continue
            if hold is None or now - watched.since > WATCH_FOR:
                self._watched.pop(key, None)
                self.words.pop(key, None)
                continue
            watched.hold = hold
            self.words[key] = hold_words(hold, active, most)
            if hold not in watched.said:
                watched.said.add(hold)
                name = names.get(key, key.gid)
                self._screen.notify(
                    f"{safe_text(name)}: {self.words[key]}; {APPLY_NOW} (Files tab)",
                    severity="warning",
                )
        self._show()

    def _show(self) -> None:
        screen = self._screen
        holds = {key: w.hold.value for key, w in self._watched.items() if w.hold is not None}
        screen.table.set_status_notes(holds)
        screen.details.holds = dict(self.words)
        files_tab = screen.details.query_one(FilesTab)
        key = files_tab.key
        files_tab.set_hold((key, self.words[key]) if key in self.words else None)

    def apply_now(self, key: DownloadKey) -> None:
        """``A`` again: apply the waiting selection of ``key`` now."""
        screen = self._screen
        watched = self._watched.get(key)
        session = screen.session_named(key.daemon)
        if watched is None or watched.hold is None or session is None:
            screen.notify("the selection is in effect: nothing waits")
            return
        hold = watched.hold
        screen.notify(apply_now_words(hold))

        async def work() -> None:
            if hold is Hold.STOPPING:
                await stop_now(session.client, key.gid)
                return
            try:
                # Must end even if the app quits meanwhile: the daemon's limit is put back.
                started = await app_of(screen).unfinished.run(
                    start_now(session.client, key.gid),
                    "putting back max-concurrent-downloads",
                )
            except CannotStartNow as exc:
                screen.notify(f"cannot start it now: {exc}", severity="warning")
                return
            if not started:
                screen.notify("aria2 did not start it; max-concurrent-downloads is as it was")

        screen.runner.run(work, "applying the selection now", session=session)
