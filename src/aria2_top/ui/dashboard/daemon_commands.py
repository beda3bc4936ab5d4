"""The keys that ask the daemon for something new or set how it works: adding
downloads (a, and again from the history), limits (global, per download, +/-),
options (global, per download, read back after), the daemons screen."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from aria2_top.live.fleet import DaemonRow, by_daemon, daemon_row, shared
from aria2_top.live.session import DaemonSession
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import Download, DownloadKey, uri_name
from aria2_top.model.format import plural, safe_text
from aria2_top.model.units import format_bytes, step_limit
from aria2_top.ops.add_input import AddItem
from aria2_top.ops.adding import AddOutcome, add_all
from aria2_top.ops.download_options import (
    DOWNLOAD_LIMITS,
    GLOBAL_LIMITS,
    limit_words,
    option_problem,
    option_value,
    set_download_option,
    set_global_options,
    shared_limits,
)
from aria2_top.ops.existing import existing_on_local_daemon
from aria2_top.ops.group_options import set_on_each
from aria2_top.rpc.wire import redact_url
from aria2_top.storage.history_file import Record
from aria2_top.ui import wording
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.dashboard.daemon_care import DaemonCare
from aria2_top.ui.dashboard.runner import ALL_DAEMONS
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen
    from aria2_top.ui.screens.limits_dialog import Limits

STEP_MEMORY = 3.0
"""Seconds a +/- press counts from the limit it asked, not the last poll's."""


class DaemonCommands:
    """Add, per-download and global limits, options, the daemons screen."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self._runner = screen.runner
        self._stepped: dict[str, tuple[int, float]] = {}
        """The ↓ limit +/- last asked of each daemon, and when."""
        self._care = DaemonCare(screen)
        """The Daemons screen's s, v, R and X."""

    async def _choose_daemon(self, title: str, then: Callable[[str], object]) -> None:
        """With several daemons, ask which one (not "all"); else go on at once."""
        screen = self._screen
        if not screen.fleet:
            then(screen.sessions[0].name)
            return

        def answered(choice: str | None) -> None:
            if choice is not None:
                then(choice)

        options = self._runner.daemon_choices()
        await screen.app.push_screen(
            ChooseScreen(title, options, screen.focused_daemon()), answered
        )

    # -- adding --------------------------------------------------------------------------

    async def add(self) -> None:
        screen = self._screen
        if not screen.fleet:
            await self.open_add_dialog(screen.sessions[0].name)
            return

        def chosen(daemon: str) -> None:
            in_worker(screen, partial(self.open_add_dialog, daemon), "dialogs")

        await self._choose_daemon("Add to which daemon?", chosen)

    async def open_add_dialog(
        self, daemon: str, text: str = "", folder: str = "", out: str = ""
    ) -> None:
        """The Add dialog for ``daemon``, with ``text``, ``folder`` and ``out`` in it
        (adding again from the history)."""
        screen = self._screen
        session = screen.session(daemon)

        async def submit(
            items: Sequence[AddItem], options: dict[str, str], top: bool
        ) -> AddOutcome:
            outcome = await add_all(session.client, items, options, top=top)
            session.wake()
            return outcome

        def added(gids: list[str] | None) -> None:
            if gids:
                to = f" to {daemon}" if screen.fleet else ""
                screen.notify(f"added {plural(len(gids), 'download')}{to}")
                screen.cursor.when_shown(DownloadKey(daemon, gids[0]))

        async def check(items: Sequence[AddItem], options: dict[str, str]) -> list[str]:
            return await existing_on_local_daemon(session.client, items, options)

        title = f"Add downloads to {safe_text(daemon)}" if screen.fleet else ""
        from aria2_top.ui.screens.add_dialog import AddDialog  # noqa: PLC0415 - on first use

        dialog = AddDialog(submit, text, check=check, title=title, folder=folder, out=out)
        await screen.app.push_screen(dialog, added)

    def history(self) -> None:
        """7: the history of downloads; a record chosen is added again (the Add dialog
        opens with its source and folder, for its daemon when it is still shown)."""
        screen = self._screen
        history = app_of(screen).download_history

        def chosen(record: Record | None) -> None:
            if record is None:
                return
            held = next((d for d in screen.downloads if d.key == record.key), None)
            said = refusal(Action.ADD_AGAIN, held) if held is not None else None
            if said:
                screen.notify(said, severity="warning")
                return
            known = screen.session_named(record.daemon) is not None
            daemon = record.daemon if known else screen.sessions[0].name
            # Its name again, when it had one of its own (not a torrent's, not the URI's).
            own_name = not record.source.startswith("magnet:") and record.name not in (
                "?",
                uri_name(record.source),
            )
            out = record.name if own_name else ""
            opening = partial(self.open_add_dialog, daemon, record.source, record.folder, out)
            in_worker(screen, opening, "dialogs")

        from aria2_top.ui.screens.history import HistoryScreen  # noqa: PLC0415 - on first use

        history_screen = HistoryScreen(history.browse(), history.problem, fleet=screen.fleet)
        screen.app.push_screen(history_screen, chosen)

    # -- limits --------------------------------------------------------------------------

    async def global_limits(self) -> None:
        await self._runner.ask_daemon("Global limits of…", self.ask_limits_of)

    def ask_limits_of(self, choice: str) -> None:
        """Ask for the global limits of one daemon (or of all) and set them."""
        screen = self._screen
        sessions = self._runner.chosen(choice)
        stats = [shot.stat for s in sessions if (shot := screen.snapshots.get(s.name))]
        down = shared(s.down_limit for s in stats) if stats else 0
        up = shared(s.up_limit for s in stats) if stats else 0
        about = "Overall speed limits of the daemon"
        if screen.fleet:
            about = (
                "Overall speed limits of every daemon"
                if choice == ALL_DAEMONS
                else f"Overall speed limits of {safe_text(choice)}"
            )

        def answered(limits: Limits | None) -> None:
            if limits is None:
                return
            for session in sessions:
                shot = screen.snapshots.get(session.name)
                old = shot.stat if shot else None
                new_down = limits[0] if limits[0] is not None else (old.down_limit if old else 0)
                new_up = limits[1] if limits[1] is not None else (old.up_limit if old else 0)
                self._runner.run(
                    partial(self._set_global_limits, session, new_down or 0, new_up or 0),
                    "the global limits",
                    session=session,
                )

        from aria2_top.ui.screens.limits_dialog import LimitsDialog  # noqa: PLC0415 - on first use

        screen.app.push_screen(LimitsDialog("Global limits", about, down, up), answered)

    async def _set_global_limits(self, session: DaemonSession, down: int, up: int) -> None:
        wanted = dict(zip(GLOBAL_LIMITS, (str(down), str(up)), strict=True))
        outcome = await set_global_options(session.client, wanted)
        self._remember_global(session, outcome.taken)
        where = self._runner.where(session.name)
        if outcome.kept:
            self._screen.notify(where + outcome.message(), severity="warning")
        else:
            self._screen.notify(f"{where}global limits ↓ {limit_words(down)}  ↑ {limit_words(up)}")

    def step_limit(self, direction: int) -> None:
        """+/-: the global ↓ limit of the daemon of the row under the cursor."""
        screen = self._screen
        session = screen.session(screen.focused_daemon())
        shot = screen.snapshots.get(session.name)
        stat = shot.stat if shot else None
        if stat is None or stat.down_limit is None or stat.up_limit is None:
            screen.notify("the daemon's limits are not known yet", severity="warning")
            return
        # Quick presses step on from the last one asked, not from the last poll.
        asked, when = self._stepped.get(session.name, (stat.down_limit, 0.0))
        current = asked if time.monotonic() - when < STEP_MEMORY else stat.down_limit
        wanted, up = step_limit(current, direction), stat.up_limit
        self._stepped[session.name] = (wanted, time.monotonic())
        self._runner.run(
            partial(self._set_global_limits, session, wanted, up),
            "the global limits",
            session=session,
        )

    def download_limits(self) -> None:
        screen = self._screen
        targets = screen.targets()
        declined = [refusal(Action.LIMITS, d) for d in targets]
        for said in [s for s in declined if s][:3]:
            screen.notify(said, severity="warning")
        targets = [d for d, said in zip(targets, declined, strict=True) if not said]
        if not targets:
            return
        groups = by_daemon(targets)

        async def ask() -> None:
            found = [
                await shared_limits(session.client, group)
                for daemon, group in groups.items()
                if (session := screen.session_named(daemon)) is not None
            ]
            down = shared(d for d, _ in found)
            up = shared(u for _, u in found)
            what = safe_text(targets[0].name) if len(targets) == 1 else f"{len(targets)} downloads"

            def answered(limits: Limits | None) -> None:
                if limits is not None:
                    self._runner.each_daemon(
                        targets, "the limits", partial(self._set_download_limits, *limits)
                    )

            from aria2_top.ui.screens.limits_dialog import LimitsDialog  # noqa: PLC0415 - on first use

            screen.app.push_screen(
                LimitsDialog("Download limits", f"Limits of {what}", down, up), answered
            )

        self._runner.run(ask, "reading the limits")

    async def _set_download_limits(
        self,
        down: int | None,
        up: int | None,
        session: DaemonSession,
        targets: list[Download],
    ) -> None:
        limits = zip(DOWNLOAD_LIMITS, (down, up), strict=True)
        wanted = {name: str(value) for name, value in limits if value is not None}
        outcome = await set_on_each(session.client, targets, wanted)
        session.poller.limits.ask_again(d.gid for d in targets)
        session.wake()
        where = self._runner.where(session.name)
        trouble = outcome.ignored or outcome.failed
        said = f"↓ {limit_words(down)}  ↑ {limit_words(up)} set on {len(outcome.set_on)}"
        if trouble:
            said = outcome.message()
        self._screen.notify(where + said, severity="warning" if trouble else "information")

    # -- options -------------------------------------------------------------------------

    async def global_options(self) -> None:
        screen = self._screen

        def chosen(daemon: str) -> None:
            session = screen.session(daemon)
            from aria2_top.ui.screens.global_options import GlobalOptionsScreen  # noqa: PLC0415 - on first use

            screen.app.push_screen(
                GlobalOptionsScreen(
                    session.client.get_global_option,
                    self.edit_option,
                    session.name,
                    fleet=screen.fleet,
                )
            )

        await self._choose_daemon("Global options of…", chosen)

    async def edit_option(self, message: OptionsTab.EditOption) -> None:
        """Edit one option of a download (or of a daemon, gid None), then read it back:
        aria2 answers OK to changes it ignores."""
        screen = self._screen
        session = screen.session_named(message.daemon)
        if session is None:
            return
        is_limit = message.name.endswith("-limit")
        scope = "the daemon" if message.gid is None else "this download"
        if screen.fleet and message.gid is None:
            scope = f"daemon {message.daemon}"

        prompt = Text(f"{message.name} of {scope}")
        if is_limit:
            prompt.append("\n" + wording.LIMIT_HINT, style="dim")
        shown = (
            format_bytes(int(message.value))
            if is_limit and message.value.isdigit()
            else message.value
        )

        def answered(value: str | None) -> None:
            if value is None:
                return
            sent = option_value(message.name, value)
            self._runner.run(
                partial(self._set_option, session, message.gid, message.name, sent),
                f"setting {message.name}",
                session=session,
            )

        dialog = InputDialog(
            f"Set {message.name}",
            prompt,
            "" if message.secret else shown,
            partial(option_problem, message.name),
            message.secret,
        )
        await screen.app.push_screen(dialog, answered)

    async def _set_option(
        self, session: DaemonSession, gid: str | None, name: str, value: str
    ) -> None:
        screen = self._screen
        if gid is None:
            outcome = await set_global_options(session.client, {name: value})
            self._remember_global(session, outcome.taken)
        else:
            outcome = await set_download_option(session.client, gid, {name: value})
        screen.notify(
            self._runner.where(session.name) + outcome.message(),
            severity="warning" if outcome.kept else "information",
        )
        if gid is None:
            shown = screen.app.screen
            from aria2_top.ui.screens.global_options import GlobalOptionsScreen  # noqa: PLC0415 - on first use

            if isinstance(shown, GlobalOptionsScreen):
                shown.reload()
        else:
            screen.details_fetcher.fetch()

    def _remember_global(self, session: DaemonSession, taken: dict[str, str]) -> None:
        """Global options set on the private daemon survive its restart."""
        private = session.endpoint.private
        if taken and private is not None:
            try:
                private.remember_options(taken)
            except OSError as exc:
                self._screen.notify(
                    f"could not save the options for the next start: {exc.strerror}",
                    severity="warning",
                )

    # -- the daemons screen -------------------------------------------------------------

    async def daemons(self) -> None:
        screen = self._screen

        def rows() -> list[DaemonRow]:
            now = time.monotonic()
            return [
                daemon_row(
                    s.name,
                    redact_url(s.endpoint.url),
                    s.status,
                    screen.snapshots.get(s.name),
                    screen.link_watch.is_stale(s, now),
                )
                for s in screen.sessions
            ]

        def chosen(daemon: str | None) -> None:
            if daemon is not None and screen.session_named(daemon) is not None:
                self.ask_limits_of(daemon)

        from aria2_top.ui.screens.daemons import DaemonsScreen  # noqa: PLC0415 - on first use

        await screen.app.push_screen(DaemonsScreen(rows, self._care.actions()), chosen)
