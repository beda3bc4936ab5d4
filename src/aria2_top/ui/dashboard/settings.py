"""Adding downloads, limits and global options, on the daemon of your choice; the
daemons screen."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial

from aria2_top.live.fleet import DaemonRow, by_daemon, daemon_row, shared
from aria2_top.live.session import DaemonSession
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import Download, DownloadKey, uri_name
from aria2_top.model.format import plural, safe_text
from aria2_top.model.units import step_limit
from aria2_top.ops.add_input import AddItem
from aria2_top.ops.adding import AddOutcome, add_all
from aria2_top.ops.download_options import (
    GLOBAL_LIMITS,
    limit_words,
    set_download_limits,
    set_global_options,
    shared_limits,
)
from aria2_top.ops.existing import existing_on_local_daemon
from aria2_top.rpc.client import redact_url
from aria2_top.storage.history_file import Record
from aria2_top.ui.dashboard.base import ALL_DAEMONS
from aria2_top.ui.dashboard.details import DetailsActions
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.daemons import DaemonsScreen
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.history import HistoryScreen
from aria2_top.ui.screens.limits_dialog import Limits, LimitsDialog

STEP_MEMORY = 3.0
"""Seconds a +/- press counts from the limit it asked, not the last poll's."""


class SettingsActions(DetailsActions):
    """Add, per-download and global limits, global options, the daemons screen."""

    async def _open_add_dialog(
        self, daemon: str, text: str = "", folder: str = "", out: str = ""
    ) -> None:
        """The Add dialog for ``daemon``, with ``text``, ``folder`` and ``out`` in it
        (adding again from the history)."""
        session = self.session(daemon)

        async def submit(
            items: Sequence[AddItem], options: dict[str, str], top: bool
        ) -> AddOutcome:
            outcome = await add_all(session.client, items, options, top=top)
            session.wake()
            return outcome

        def added(gids: list[str] | None) -> None:
            if gids:
                to = f" to {daemon}" if self.fleet else ""
                self.notify(f"added {plural(len(gids), 'download')}{to}")
                self._focus_when_shown(DownloadKey(daemon, gids[0]))

        async def check(items: Sequence[AddItem], options: dict[str, str]) -> list[str]:
            return await existing_on_local_daemon(session.client, items, options)

        title = f"Add downloads to {safe_text(daemon)}" if self.fleet else ""
        dialog = AddDialog(submit, text, check=check, title=title, folder=folder, out=out)
        await self.app.push_screen(dialog, added)

    async def action_add(self) -> None:
        if not self.fleet:
            await self._open_add_dialog(self.sessions[0].name)
            return
        options = [(s.name, self._daemon_choice(s)) for s in self.sessions]

        def chosen(daemon: str | None) -> None:
            if daemon is not None:
                self.run_worker(self._open_add_dialog(daemon), group="dialogs")

        await self.app.push_screen(
            ChooseScreen("Add to which daemon?", options, self._focused_daemon()), chosen
        )

    def action_history(self) -> None:
        """7: the history of downloads; a record chosen is added again (the Add dialog
        opens with its source and folder, for its daemon when it is still shown)."""
        history = self.app.download_history

        def chosen(record: Record | None) -> None:
            if record is None:
                return
            held = next((d for d in self.downloads if d.key == record.key), None)
            said = refusal(Action.ADD_AGAIN, held) if held is not None else None
            if said:
                self.notify(said, severity="warning")
                return
            daemon = record.daemon if record.daemon in self._by_name else self.sessions[0].name
            # Its name again, when it had one of its own (not a torrent's, not the URI's).
            own_name = not record.source.startswith("magnet:") and record.name not in (
                "?",
                uri_name(record.source),
            )
            out = record.name if own_name else ""
            opening = self._open_add_dialog(daemon, record.source, record.folder, out)
            self.run_worker(opening, group="dialogs")

        screen = HistoryScreen(history.records, history.problem, fleet=self.fleet)
        self.app.push_screen(screen, chosen)

    async def action_global_limits(self) -> None:
        await self._ask_daemon("Global limits of…", self._set_limits_of)

    def _set_limits_of(self, choice: str) -> None:
        """Ask for the global limits of one daemon (or of all) and set them."""
        sessions = self._chosen(choice)
        stats = [shot.stat for s in sessions if (shot := self.snapshots.get(s.name))]
        down = shared(s.down_limit for s in stats) if stats else 0
        up = shared(s.up_limit for s in stats) if stats else 0
        about = "Overall speed limits of the daemon"
        if self.fleet:
            about = (
                "Overall speed limits of every daemon"
                if choice == ALL_DAEMONS
                else f"Overall speed limits of {safe_text(choice)}"
            )

        def answered(limits: Limits | None) -> None:
            if limits is None:
                return
            for session in sessions:
                shot = self.snapshots.get(session.name)
                old = shot.stat if shot else None
                new_down = limits[0] if limits[0] is not None else (old.down_limit if old else 0)
                new_up = limits[1] if limits[1] is not None else (old.up_limit if old else 0)
                self._run_rpc(
                    partial(self._set_global_limits, session, new_down or 0, new_up or 0),
                    "the global limits",
                    session=session,
                )

        self.app.push_screen(LimitsDialog("Global limits", about, down, up), answered)

    async def _set_global_limits(self, session: DaemonSession, down: int, up: int) -> None:
        wanted = dict(zip(GLOBAL_LIMITS, (str(down), str(up)), strict=True))
        outcome = await set_global_options(session.client, wanted)
        self._remember_global(session, outcome.taken)
        where = self._where(session.name)
        if outcome.kept:
            self.notify(where + outcome.message(), severity="warning")
        else:
            self.notify(f"{where}global limits ↓ {limit_words(down)}  ↑ {limit_words(up)}")

    def action_step_limit(self, direction: int) -> None:
        """+/-: the global ↓ limit of the daemon of the row under the cursor."""
        session = self.session(self._focused_daemon())
        shot = self.snapshots.get(session.name)
        stat = shot.stat if shot else None
        if stat is None or stat.down_limit is None or stat.up_limit is None:
            self.notify("the daemon's limits are not known yet", severity="warning")
            return
        # Quick presses step on from the last one asked, not from the last poll.
        asked, when = self._stepped.get(session.name, (stat.down_limit, 0.0))
        current = asked if time.monotonic() - when < STEP_MEMORY else stat.down_limit
        wanted, up = step_limit(current, direction), stat.up_limit
        self._stepped[session.name] = (wanted, time.monotonic())
        self._run_rpc(
            partial(self._set_global_limits, session, wanted, up),
            "the global limits",
            session=session,
        )

    def action_download_limits(self) -> None:
        targets = self.targets()
        declined = [refusal(Action.LIMITS, d) for d in targets]
        for said in [s for s in declined if s][:3]:
            self.notify(said, severity="warning")
        targets = [d for d, said in zip(targets, declined, strict=True) if not said]
        if not targets:
            return
        groups = by_daemon(targets)

        async def ask() -> None:
            found = [
                await shared_limits(self.session(daemon).client, group)
                for daemon, group in groups.items()
                if daemon in self._by_name
            ]
            down = shared(d for d, _ in found)
            up = shared(u for _, u in found)
            what = safe_text(targets[0].name) if len(targets) == 1 else f"{len(targets)} downloads"

            def answered(limits: Limits | None) -> None:
                if limits is not None:
                    self._each_daemon(
                        targets, "the limits", partial(self._set_download_limits, *limits)
                    )

            self.app.push_screen(
                LimitsDialog("Download limits", f"Limits of {what}", down, up), answered
            )

        self._run_rpc(ask, "reading the limits")

    async def _set_download_limits(
        self,
        down: int | None,
        up: int | None,
        session: DaemonSession,
        targets: list[Download],
    ) -> None:
        result = await set_download_limits(session.client, targets, down, up)
        session.poller.limits.ask_again(d.gid for d in targets)
        session.wake()
        where = self._where(session.name)
        for error in result.errors[:3]:
            self.notify(where + error, severity="error")
        if result.done:
            count = len(result.done)
            self.notify(
                f"{where}limits of {plural(count, 'download')}: "
                f"↓ {limit_words(down)}  ↑ {limit_words(up)}",
            )

    async def action_global_options(self) -> None:
        def chosen(daemon: str) -> None:
            session = self.session(daemon)
            self.app.push_screen(
                GlobalOptionsScreen(
                    session.client.get_global_option,
                    self._edit_option,
                    session.name,
                    fleet=self.fleet,
                )
            )

        if not self.fleet:
            chosen(self.sessions[0].name)
            return
        options = [(s.name, self._daemon_choice(s)) for s in self.sessions]

        def answered(choice: str | None) -> None:
            if choice is not None:
                chosen(choice)

        await self.app.push_screen(
            ChooseScreen("Global options of…", options, self._focused_daemon()), answered
        )

    async def action_daemons(self) -> None:
        def rows() -> list[DaemonRow]:
            now = time.monotonic()
            return [
                daemon_row(
                    s.name,
                    redact_url(s.endpoint.url),
                    s.status,
                    self.snapshots.get(s.name),
                    self._link(s).is_stale(now),
                )
                for s in self.sessions
            ]

        def chosen(daemon: str | None) -> None:
            if daemon is not None and daemon in self._by_name:
                self._set_limits_of(daemon)

        await self.app.push_screen(DaemonsScreen(rows), chosen)
