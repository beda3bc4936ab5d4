"""The dashboard: the stats bar, the view line, the downloads of every daemon in one
table, the details pane and the prompt; the keys and what they do.

It never waits on the network: each daemon's session polls and listens in the
background and posts what it learns here; every action runs as a worker, one
multicall per daemon, and says what happened in words.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from aria2_top.config import Settings
from aria2_top.core import actions
from aria2_top.core.add_input import AddItem
from aria2_top.core.adding import AddOutcome, add_all
from aria2_top.core.aria2_codes import describe_error
from aria2_top.core.columns import first_direction, sort_downloads, sortable
from aria2_top.core.details import Tab, calls_for
from aria2_top.core.existing import existing_on_local_daemon
from aria2_top.core.fleet import DaemonRow, by_daemon, daemon_row, merged, shared, total_stat
from aria2_top.core.format import plural, safe_text
from aria2_top.core.history import combined
from aria2_top.core.model import STOPPED, Download, DownloadKey, Snapshot, Status
from aria2_top.core.model import finished_or_failed as endings
from aria2_top.core.options import (
    GLOBAL_LIMITS,
    limit_words,
    set_download_limits,
    set_download_option,
    set_global_options,
    shared_limits,
)
from aria2_top.core.poller import PollState, PollStatus
from aria2_top.core.query import HOST_PREFIX, View, matches, split_filter, visible
from aria2_top.core.units import UnitError, format_bytes, parse_bytes, step_limit
from aria2_top.crash_report import write_crash_report
from aria2_top.rpc.client import redact_url
from aria2_top.rpc.errors import Aria2Error, Aria2TimeoutError
from aria2_top.session import DaemonSession
from aria2_top.ui.focus import focus_now, owned_below, typing
from aria2_top.ui.keys import APP_ACTIONS, bindings
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.confirm import ConfirmScreen
from aria2_top.ui.screens.daemons import DaemonsScreen
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.help import HelpScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.screens.limits_dialog import Limits, LimitsDialog
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.widgets.details.pane import DetailsPane
from aria2_top.ui.widgets.downloads_table import DownloadsTable
from aria2_top.ui.widgets.prompt import Prompt, PromptMode
from aria2_top.ui.widgets.stats_bar import Counts, Link, StatsBar
from aria2_top.ui.widgets.text_line import TextLine
from aria2_top.ui.widgets.view_bar import view_counts, view_text

MAX_NAMES_IN_DIALOG = 8
MAX_ANNOUNCED = 3
"""Finished and failed downloads named one by one per refresh; the rest counted."""
SLOW_ANSWER = 2.0
"""Seconds after which an action without an answer yet says it is waiting."""
MIN_STALE_AFTER = 1.0
DRAW_MARGIN = 0.1
FLEET_SETTLE = 0.1
"""With several daemons, seconds a snapshot waits for the others of the same beat."""
MAX_REFRESH_GAP = 0.5
"""With several daemons, seconds the rows may wait for the other daemons' snapshots
(at most half an interval): one sort and draw for all that came meanwhile."""
ALL_DAEMONS = "*"
"""The choice "every daemon" where a key asks which daemon."""


def stale_after(settings: Settings) -> float:
    """Seconds without a good reply after which the bar says how old the data is: so
    that it is on screen within two intervals (drawing it takes a moment), but never
    sooner than a second (a fast interval would make every slow poll flicker)."""
    return max(2 * settings.interval - DRAW_MARGIN, MIN_STALE_AFTER)


class SnapshotArrived(Message):
    """A daemon's poller has new data; only its newest one waiting is handled."""

    def __init__(self, session: DaemonSession, snapshot: Snapshot) -> None:
        super().__init__()
        self.session = session
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotArrived) and message.session is self.session


class PollStatusChanged(Message):
    def __init__(self, session: DaemonSession, status: PollStatus) -> None:
        super().__init__()
        self.session = session
        self.status = status


class EventsLive(Message):
    """A daemon's notification listener connected (True) or lost its link."""

    def __init__(self, session: DaemonSession, live: bool) -> None:
        super().__init__()
        self.session = session
        self.live = live


@dataclass(frozen=True, slots=True)
class Unanswered:
    """An action a daemon did not answer in time: it may still apply."""

    what: str
    daemon: str
    targets: tuple[Download, ...]
    gave_up_at: float


class DashboardScreen(Screen[None]):
    """The main screen: every daemon's downloads, and the keys that act on them."""

    BINDINGS = [*bindings()]

    def __init__(self, sessions: Sequence[DaemonSession], settings: Settings) -> None:
        super().__init__()
        self.sessions = list(sessions)
        self.settings = settings
        self._by_name = {session.name: session for session in self.sessions}
        self.snapshots: dict[str, Snapshot] = {}
        """Each daemon's last snapshot handled."""
        self.downloads: tuple[Download, ...] = ()
        """Every daemon's downloads, merged."""
        self._unanswered: list[Unanswered] = []
        self._stale_timer: Timer | None = None
        self._stale: frozenset[str] = frozenset()
        self.view = View.ALL
        self.sort_column = "pos"
        self.sort_reverse = False
        self.filter_text = ""
        self.search_text = ""
        self._search_origin = 0
        """The cursor's row when the search began: a failed search goes back there."""
        self.follow_mode = False
        """F: the cursor follows its download when a refresh moves it (htop's follow);
        off, it keeps its line and the download that takes it."""
        self._follow: tuple[DownloadKey, float] | None = None
        """(download, when the action on it ended): the cursor follows it through the
        refreshes until one asked after the action (a p, a queue move...)."""
        self.tagged: set[DownloadKey] = set()
        self.shown: list[Download] = []
        self.last_refresh_seconds = 0.0
        self._pending_focus: DownloadKey | None = None
        self._refresh_timer: Timer | None = None
        self._last_shown = 0.0
        self._refresh_gap = min(settings.interval / 2, MAX_REFRESH_GAP)
        self._follow_next = False

    @property
    def fleet(self) -> bool:
        """Several daemons in one view."""
        return len(self.sessions) > 1

    @property
    def snapshot(self) -> Snapshot | None:
        """The one daemon's last snapshot (with several: the first's)."""
        return self.snapshots.get(self.sessions[0].name)

    def session(self, daemon: str) -> DaemonSession:
        return self._by_name[daemon]

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept as attributes: every tick uses them, with no DOM query.
        label = (
            plural(len(self.sessions), "daemon") if self.fleet else self.sessions[0].endpoint.label
        )
        self.stats_bar = StatsBar(label, id="stats")
        self.view_bar = TextLine(id="views")
        self.table = DownloadsTable(id="downloads")
        self.details = DetailsPane(id="details")
        self.prompt = Prompt(id="prompt")
        self.prompt.display = False
        yield self.stats_bar
        yield self.view_bar
        yield self.table
        yield self.details
        yield self.prompt
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.set_fleet(self.fleet)
        self.refresh_view()
        focus_now(self.table)
        self._watch_link()
        self.set_interval(min(0.5, self.settings.interval / 2), self._watch_link)

    def on_resize(self) -> None:
        self.refresh_view()  # the view bar and the stats bar choose forms that fit

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard's keys step aside for a dialog, a text field, and a widget that
        binds the same key itself (see ui/focus.py). The palette and code always run
        them."""
        key = getattr(self.app, "key_in_hand", None)
        if action not in APP_ACTIONS or key is None:
            return True
        if isinstance(self.app.screen, ModalScreen) or typing(self.app):
            return False
        return not owned_below(self.app, key)

    def action_quit(self) -> None:
        self.app.exit()

    # -- data in -------------------------------------------------------------------------

    @on(SnapshotArrived)
    def _on_snapshot(self, message: SnapshotArrived) -> None:
        session, snapshot = message.session, message.snapshot
        self._announce(session, self.snapshots.get(session.name), snapshot)
        self.snapshots[session.name] = snapshot
        self.downloads = merged(self.snapshots.get(s.name) for s in self.sessions)
        if self.tagged:
            self.tagged &= {d.key for d in self.downloads}
        session.history.record(snapshot)
        stats = self.stats_bar
        stats.down_history = [down for down, _ in self._daemon_history()]
        stats.stat = total_stat([s.stat for s in self.snapshots.values()])
        stats.version = "" if self.fleet else snapshot.version
        stats.problems = tuple(
            f"{name}: {problem}" if self.fleet else problem
            for name, shot in self.snapshots.items()
            for problem in shot.problems
        )
        self._follow_next = self._follow_next or self.follow_mode or self._follows(snapshot)
        self._watch_link()
        # Say "no reply" the moment the data is two intervals old, not at the next
        # tick of the clock.
        if self._stale_timer is not None:
            self._stale_timer.stop()
        self._stale_timer = self.set_timer(stats.link.stale_after, self._watch_link)
        self._report_late_answers(session.name, snapshot)
        self._refresh_soon()

    def _refresh_soon(self) -> None:
        """Show the new data: at once with one daemon; with several, after
        :data:`FLEET_SETTLE` and at most every :data:`MAX_REFRESH_GAP` (the rows of all
        are sorted and drawn once for all the snapshots that came meanwhile)."""
        if self._refresh_timer is not None:
            return  # one is coming: it shows this snapshot too
        if not self.fleet:
            self._show_snapshots()
            return
        # The daemons are polled on one beat: their snapshots come within moments of
        # each other, and one sort and draw shows them all.
        wait = max(FLEET_SETTLE, self._last_shown + self._refresh_gap - time.monotonic())
        self._refresh_timer = self.set_timer(wait, self._show_snapshots)

    def _show_snapshots(self) -> None:
        self._refresh_timer = None
        self._last_shown = time.monotonic()
        follow, self._follow_next = self._follow_next, False
        self.refresh_view(follow=follow)
        if self._pending_focus and self.table.focus_key(self._pending_focus):
            self._pending_focus = None
        if self.details_open:
            self.fetch_details()

    def _daemon_history(self) -> list[tuple[int, int]]:
        return combined([s.history.daemon for s in self.sessions])

    @on(PollStatusChanged)
    def _on_poll_status(self) -> None:
        self._watch_link()
        if not self.downloads:
            self.table.empty_text = self._empty_text(False)

    @on(EventsLive)
    def _on_events_live(self) -> None:
        self._watch_link()

    def _link(self, session: DaemonSession) -> Link:
        poller = session.poller
        return Link(
            poller.status,
            last_reply_at=poller.last_reply_at,
            busy_since=poller.busy_since,
            stale_after=stale_after(self.settings),
            events_live=session.events_live or not session.listen,
        )

    def _watch_link(self) -> None:
        """The clock of the bar: how old each daemon's data is, which rows are stale."""
        if not self.is_attached:
            return
        now = time.monotonic()
        stats = self.stats_bar
        links = [(s.name, self._link(s)) for s in self.sessions]
        stats.link = links[0][1]
        stats.fleet = tuple(links) if self.fleet else ()
        stats.redraw()
        stale = frozenset(name for name, link in links if link.is_stale(now))
        self.table.set_class(len(stale) == len(links), "-stale")
        if self.fleet and stale != self._stale:
            self._stale = stale
            self.refresh_view()

    def _announce(self, session: DaemonSession, before: Snapshot | None, after: Snapshot) -> None:
        """Say which downloads finished or failed since the last snapshot (and ring the
        bell, if the config asks for it)."""
        finished, failed = endings(before, after)
        where = f" on {session.name}" if self.fleet else ""
        for done in finished[:MAX_ANNOUNCED]:
            self.notify(f"finished{where}: {safe_text(done.name)}", title="download", markup=False)
        for lost in failed[:MAX_ANNOUNCED]:
            why = describe_error(lost.error_code, lost.error_message)
            self.notify(
                f"failed{where}: {safe_text(lost.name)}" + (f" ({safe_text(why)})" if why else ""),
                title="download",
                severity="error",
                markup=False,
            )
        more = (
            len(finished)
            + len(failed)
            - min(len(finished), MAX_ANNOUNCED)
            - min(len(failed), MAX_ANNOUNCED)
        )
        if more > 0:
            self.notify(f"… and {plural(more, 'more download')} ended")
        if (finished or failed) and self.settings.bell:
            self.app.bell()

    def _follows(self, snapshot: Snapshot) -> bool:
        """Whether the cursor follows its download through this snapshot: it does for
        a download the user just acted on, until a poll sent after the action."""
        if self._follow is None:
            return False
        key, ended = self._follow
        if ended and snapshot.asked_at > ended:
            self._follow = None
        return key == self.table.focused_key

    def refresh_view(self, *, follow: bool = True) -> None:
        """Re-derive the rows from the last snapshots and the view settings; ``follow``:
        the cursor stays on its download (see :meth:`DownloadsTable.show`)."""
        started = time.perf_counter()
        downloads = self.downloads
        rows = sort_downloads(
            visible(downloads, self.view, self.filter_text), self.sort_column, self.sort_reverse
        )
        self.shown = rows
        self.table.set_view(self.view)
        self.table.set_sort(self.sort_column, self.sort_reverse)
        self.table.empty_text = self._empty_text(bool(downloads))
        stale = self._stale if self.fleet and len(self._stale) < len(self.sessions) else frozenset()
        self.table.show(rows, self.tagged, follow=follow, stale=stale)
        counts = view_counts(downloads, self.filter_text)  # one pass for both bars
        stats_counts = Counts.of_views(counts)
        if stats_counts != self.stats_bar.counts:
            self.stats_bar.counts = stats_counts
            self.stats_bar.redraw()
        self.view_bar.set_text(
            view_text(
                counts,
                self.view,
                self.sort_column,
                self.sort_reverse,
                self.filter_text,
                len(self.tagged),
                follow=self.follow_mode,
                width=self.size.width - 2,
            )
        )
        self.last_refresh_seconds = time.perf_counter() - started

    def _empty_text(self, has_downloads: bool) -> str:
        """What an empty table says: why it is empty, and what to do."""
        if not self.snapshots:
            statuses = [(s.name, s.status) for s in self.sessions]
            if all(status.state is PollState.AUTH_FAILED for _, status in statuses):
                return (
                    "Authentication failed: aria2 wants another RPC secret (--secret, "
                    "ARIA2_RPC_SECRET or secret in the config file)."
                )
            failing = [
                (name, status)
                for name, status in statuses
                if status.state in (PollState.RECONNECTING, PollState.BAD_REPLY)
            ]
            if failing and len(failing) == len(statuses):
                if not self.fleet:
                    error = failing[0][1].error
                    return f"No downloads to show yet: {error or 'aria2 does not answer'}"
                return "No downloads to show yet: no daemon answers (D: each one's error)."
            return "Connecting…"
        if has_downloads:
            return f"No downloads match this view ({self.view.label})" + (
                f" and filter {self.filter_text!r}." if self.filter_text else "."
            )
        return "No downloads yet: press a to add one (URIs, magnet links, .torrent files)."

    # -- whom an action is for ---------------------------------------------------------

    def shown_download(self, key: DownloadKey | None) -> Download | None:
        """The download ``key`` if the table shows it (a scan: only on a key press)."""
        return next((d for d in self.shown if d.key == key), None)

    def focused_download(self) -> Download | None:
        return self.shown_download(self.table.focused_key)

    def targets(self) -> list[Download]:
        """The tagged downloads, else the one under the cursor."""
        if self.tagged:
            return [d for d in self.downloads if d.key in self.tagged]
        focused = self.focused_download()
        return [focused] if focused is not None else []

    def _focused_daemon(self) -> str:
        """The daemon of the row under the cursor (else the first daemon)."""
        focused = self.table.focused_key
        return focused.daemon if focused is not None else self.sessions[0].name

    def _where(self, daemon: str) -> str:
        """``nas: `` before what is said of one daemon's downloads, with several."""
        return f"{daemon}: " if self.fleet else ""

    def _each_daemon(
        self,
        targets: Sequence[Download],
        what: str,
        work: Callable[[DaemonSession, list[Download]], Awaitable[None]],
    ) -> None:
        """Run ``work`` once per daemon with its targets: one multicall each, each in
        its own worker, so a slow daemon never holds up the others."""
        for daemon, group in by_daemon(targets).items():
            session = self._by_name.get(daemon)
            if session is not None:
                self._run_rpc(partial(work, session, group), what, group, session)

    def _run_rpc(
        self,
        work: Callable[[], Awaitable[None]],
        what: str = "the change",
        targets: Sequence[Download] = (),
        session: DaemonSession | None = None,
    ) -> None:
        """Run an action on ``session``'s daemon (None: on no one daemon) in a worker;
        errors become notifications, never crashes."""
        focused = self.table.focused_key
        if focused is not None and any(d.key == focused for d in targets):
            self._follow = (focused, 0.0)
        self._rpc(work, what, tuple(targets), session)

    @work(group="rpc", exit_on_error=False)
    async def _rpc(
        self,
        work: Callable[[], Awaitable[None]],
        what: str,
        targets: tuple[Download, ...],
        session: DaemonSession | None,
    ) -> None:
        """When aria2 does not answer in time, the action may still apply once it does:
        the user is told so now, and what the table then shows later."""
        where = self._where(session.name) if session else ""
        slow = self.set_timer(
            SLOW_ANSWER,
            lambda: self.notify(f"{where}waiting for aria2 to answer ({what})…", markup=False),
        )
        try:
            await work()
        except Aria2TimeoutError:
            daemon = session.name if session else ""
            self._unanswered.append(Unanswered(what, daemon, targets, time.monotonic()))
            self.notify(
                f"{where}no answer from aria2 yet: {what} may still apply; "
                "you will be told what happened once it answers",
                severity="warning",
                markup=False,
            )
        except Aria2Error as exc:
            self.notify(where + safe_text(str(exc)), severity="error", markup=False)
        finally:
            slow.stop()
            if self._follow is not None and self._follow[1] == 0.0:
                self._follow = (self._follow[0], time.monotonic())
            for each in [session] if session else self.sessions:
                each.wake()

    @on(Worker.StateChanged)
    def _on_worker_failed(self, event: Worker.StateChanged) -> None:
        """The one handler of errors no worker expected (a bug): the user is told, a
        report is written, and the app keeps running."""
        if event.state is not WorkerState.ERROR or event.worker.node is not self:
            return
        error = event.worker.error
        if error is None:
            return
        secrets = [s.endpoint.secret for s in self.sessions] + [self.settings.secret]
        path = write_crash_report(error, self.settings.data_dir, secrets)
        where = f"a report is in {path}" if path else "no report could be written"
        self.notify(
            f"unexpected {type(error).__name__} in {event.worker.name or 'a task'}: {where}",
            severity="error",
            markup=False,
        )

    def _report_late_answers(self, daemon: str, snapshot: Snapshot) -> None:
        """Say what became of actions a daemon did not answer in time, from its first
        poll sent after giving up on them."""
        waiting, outcomes = [], []
        for late in self._unanswered:
            if late.daemon in (daemon, "") and late.gave_up_at < snapshot.asked_at:
                outcome = self._where(daemon) + actions.late_outcome(
                    late.what, late.targets, snapshot
                )
                if outcome not in outcomes:  # the same key pressed again in the stall
                    outcomes.append(outcome)
            else:
                waiting.append(late)
        self._unanswered = waiting
        for outcome in outcomes:
            self.notify(outcome, markup=False)

    def _report(self, result: actions.ActionResult, verb: str, daemon: str) -> None:
        """Say what failed, and (with a ``verb``) what was done."""
        where = self._where(daemon)
        for error in result.errors[:5]:
            self.notify(where + error, severity="error", markup=False)
        if len(result.errors) > 5:
            self.notify(f"{where}… and {len(result.errors) - 5} more errors", severity="error")
        if result.done and verb:
            self.notify(f"{where}{verb} {plural(len(result.done), 'download')}", markup=False)

    async def _ask_daemon(self, title: str, then: Callable[[str], object]) -> None:
        """With several daemons, ask which one (or all) first; else go on at once."""
        if not self.fleet:
            then(self.sessions[0].name)
            return
        options = [(ALL_DAEMONS, "All daemons")] + [
            (s.name, safe_text(s.name)) for s in self.sessions
        ]

        def answered(choice: str | None) -> None:
            if choice is not None:
                then(choice)

        await self.app.push_screen(ChooseScreen(title, options, self._focused_daemon()), answered)

    def _chosen(self, choice: str) -> list[DaemonSession]:
        return self.sessions if choice == ALL_DAEMONS else [self.session(choice)]

    # -- actions: downloads ------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        async def work(session: DaemonSession, targets: list[Download]) -> None:
            result = await actions.toggle_pause(session.client, targets)
            self._report(result, "", session.name)
            said = [
                f"{verb} {plural(len(gids), 'download')}"
                for verb, gids in (("paused", result.paused), ("resumed", result.resumed))
                if gids
            ]
            if said:
                self.notify(self._where(session.name) + " · ".join(said), markup=False)

        self._each_daemon(self.targets(), "pause/resume", work)

    async def action_toggle_pause_all(self) -> None:
        def chosen(choice: str) -> None:
            for session in self._chosen(choice):
                shot = self.snapshots.get(session.name)
                downloads = shot.downloads if shot else ()
                self._run_rpc(
                    partial(self._pause_all, session, downloads),
                    "pause all/resume all",
                    session=session,
                )

        await self._ask_daemon("Pause all / resume all", chosen)

    async def _pause_all(self, session: DaemonSession, downloads: Sequence[Download]) -> None:
        verb = await actions.toggle_pause_all(session.client, downloads)
        self.notify(self._where(session.name) + verb, markup=False)

    async def action_remove(self) -> None:
        targets = self.targets()
        if not targets:
            return
        body = Text()
        body.append(f"Remove {plural(len(targets), 'download')}?\n\n")
        for download in targets[:MAX_NAMES_IN_DIALOG]:
            body.append(f"  • {safe_text(download.name)}", style="bold")
            host = f" on {safe_text(download.daemon)}" if self.fleet else ""
            body.append(f"  ({download.status}{host})\n", style="dim")
        if len(targets) > MAX_NAMES_IN_DIALOG:
            body.append(f"  … and {len(targets) - MAX_NAMES_IN_DIALOG} more\n")
        body.append("\nFiles on disk are kept.", style="dim")

        async def work(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            self.tagged -= {DownloadKey(session.name, gid) for gid in result.done}
            self._report(result, "removed", session.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self._each_daemon(targets, "remove", work)

        await self.app.push_screen(ConfirmScreen("Remove", body, "Remove"), answered)

    async def action_purge(self) -> None:
        stopped = [d for d in self.downloads if d.status in STOPPED]
        in_view = [d for d in self.shown if d.status in STOPPED]
        if not stopped:
            self.notify("no finished results to clear")
            return

        async def clear_view(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.remove(session.client, group)
            self._report(result, "cleared the results of", session.name)

        async def clear_all(session: DaemonSession, group: list[Download]) -> None:
            await actions.purge(session.client)
            self.notify(
                f"{self._where(session.name)}cleared {plural(len(group), 'result')}",
                markup=False,
            )

        options = [("all", f"All {plural(len(stopped), 'result')} (finished, failed, removed)")]
        if in_view and len(in_view) != len(stopped):
            where = self.view.label + (f", filter {self.filter_text!r}" if self.filter_text else "")
            options.insert(0, ("view", f"The {len(in_view)} shown here ({where})"))
        note = Text("Forget results from the list. Files on disk are kept.", style="dim")

        def answered(which: str | None) -> None:
            if which == "view":
                self._each_daemon(in_view, "clearing the results", clear_view)
            elif which == "all":
                self._each_daemon(stopped, "clearing the results", clear_all)

        await self.app.push_screen(
            ChooseScreen("Clear results", options, options[0][0], note), answered
        )

    async def action_retry(self) -> None:
        await self._ask_retry(self.targets())

    async def action_retry_all(self) -> None:
        failed = [d for d in self.shown if d.status is Status.ERROR]
        if not failed:
            self.notify("no failed downloads in this view")
            return
        await self._ask_retry(failed)

    async def _ask_retry(self, targets: list[Download]) -> None:
        """Ask where the retried downloads go (top or bottom of the queue), then retry."""
        failed = [d for d in targets if d.status is Status.ERROR]
        if not failed:
            if targets:
                self.notify("nothing to retry: only failed downloads can be", severity="warning")
            return
        note = Text(f"Retry {plural(len(failed), 'failed download')}:\n")
        for download in failed[:MAX_NAMES_IN_DIALOG]:
            note.append(f"  • {safe_text(download.name)}\n", style="bold")
        if len(failed) > MAX_NAMES_IN_DIALOG:
            note.append(f"  … and {len(failed) - MAX_NAMES_IN_DIALOG} more\n")
        restart = sum(1 for d in failed if d.error_code == actions.CANNOT_RESUME)
        if restart:
            note.append(
                f"{plural(restart, 'of them', 'of them')} failed because the server cannot "
                "resume: restarted from zero (always-resume=false).\n",
                style="yellow",
            )

        async def work(top: bool, session: DaemonSession, group: list[Download]) -> None:
            result = await actions.retry(session.client, group, top=top)
            self._report(result, "retried", session.name)
            if result.new_gids:
                self._focus_when_shown(DownloadKey(session.name, result.new_gids[0]))

        def answered(where: str | None) -> None:
            if where is not None:
                self._each_daemon(failed, "retry", partial(work, where == "top"))

        options = [("bottom", "At the bottom of the queue"), ("top", "At the top of the queue")]
        await self.app.push_screen(ChooseScreen("Retry", options, "bottom", note), answered)

    def action_move(self, how: str) -> None:
        """Queue moves stay within each daemon's own queue."""

        async def work(session: DaemonSession, group: list[Download]) -> None:
            result = await actions.move(session.client, group, how)
            for error in result.errors[:3]:
                self.notify(self._where(session.name) + error, severity="warning", markup=False)

        self._each_daemon(self.targets(), "the queue move", work)

    def _focus_when_shown(self, key: DownloadKey) -> None:
        """Put the cursor on ``key`` as soon as a snapshot brings it."""
        self._pending_focus = key
        session = self._by_name.get(key.daemon)
        if session is not None:
            session.wake()

    # -- actions: tagging and navigation -----------------------------------------------

    def action_tag(self) -> None:
        table = self.table
        key = table.focused_key
        if key is None:
            return
        self.tagged ^= {key}
        self.refresh_view()
        table.action_cursor_down()

    def action_untag_all(self) -> None:
        self.tagged.clear()
        self.refresh_view()

    def action_tag_all(self) -> None:
        """Tag every row of the view (the tags of other views stay)."""
        self.tagged |= {d.key for d in self.shown}
        self.refresh_view()

    def action_invert_tags(self) -> None:
        """Tag the untagged rows of the view and untag the tagged ones."""
        self.tagged ^= {d.key for d in self.shown}
        self.refresh_view()

    def action_toggle_follow(self) -> None:
        self.follow_mode = not self.follow_mode
        self.notify(
            "follow: the cursor follows its download"
            if self.follow_mode
            else "follow off: the cursor keeps its line"
        )
        self.refresh_view()

    def action_last_error(self) -> None:
        """Each daemon's last error in full (the bar shows it cut to fit)."""
        errors = [
            self._where(s.name) + safe_text(s.status.error) for s in self.sessions if s.status.error
        ]
        if errors:
            self.notify("\n".join(errors), title="last error", severity="warning", markup=False)
        else:
            self.notify("no error: the last poll went well")

    def action_cursor(self, where: str) -> None:
        table = self.table
        if where == "down":
            table.action_cursor_down()
        elif where == "up":
            table.action_cursor_up()
        elif where == "top":
            table.action_first()
        elif where == "bottom":
            table.action_last()
        elif where == "page_up":
            table.action_page_up()
        elif where == "page_down":
            table.action_page_down()

    # -- actions: view -------------------------------------------------------------------

    def action_cycle_view(self, step: int) -> None:
        self.view = self.view.next(step)
        self.refresh_view()

    def action_set_view(self, index: int) -> None:
        self.view = list(View)[index]
        self.refresh_view()

    def action_cycle_host(self) -> None:
        """H: show one daemon's downloads, then the next's, then all (as the filter
        ``host:NAME``, with the rest of the filter kept)."""
        if not self.fleet:
            self.notify("one daemon only: H shows one daemon at a time with several")
            return
        text, hosts = split_filter(self.filter_text)
        names = [s.name for s in self.sessions]
        current = next((n for n in names if hosts and n.casefold() == hosts[0]), None)
        following = names[0] if current is None else None
        if current is not None and names.index(current) + 1 < len(names):
            following = names[names.index(current) + 1]
        host = f"{HOST_PREFIX}{following}" if following is not None else ""
        self.filter_text = " ".join(part for part in (host, text) if part)
        self.refresh_view()

    def action_invert_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refresh_view()

    def action_shift_sort(self, step: int) -> None:
        keys = [column.key for column in sortable(View.ALL, self.fleet)]
        current = keys.index(self.sort_column) if self.sort_column in keys else 0
        self._sort_by(keys[(current + step) % len(keys)])

    def _sort_by(self, column: str) -> None:
        """Sort by ``column`` in its first direction: largest first for numbers."""
        self.sort_column, self.sort_reverse = column, first_direction(column)
        self.refresh_view()

    async def action_choose_sort(self) -> None:
        def chosen(key: str | None) -> None:
            if key is not None:
                self._sort_by(key)

        options = [
            (c.key, "Queue order (#)" if c.key == "pos" else c.label)
            for c in sortable(self.view, self.fleet)
        ]
        await self.app.push_screen(ChooseScreen("Sort by", options, self.sort_column), chosen)

    @on(DownloadsTable.HeaderSelected)
    def _on_header(self, event: DownloadsTable.HeaderSelected) -> None:
        key = event.column_key
        if key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
            self.refresh_view()
        else:
            self._sort_by(key)

    def action_search(self) -> None:
        self._search_origin = self.table.cursor_row
        self._open_prompt(PromptMode.SEARCH, self.search_text)

    def action_filter(self) -> None:
        self._open_prompt(PromptMode.FILTER, self.filter_text)

    def _open_prompt(self, mode: PromptMode, value: str) -> None:
        self.prompt.open(mode, value)
        self.table.covered_rows = 1  # the prompt lies over the table's last line

    def action_next_match(self, step: int) -> None:
        if not self.search_text:
            self.action_search()
            return
        if not self._jump_to_match(self.search_text, step, skip_current=True):
            self.notify(f"no match for {self.search_text!r}", severity="warning", markup=False)

    def _jump_to_match(
        self, needle: str, step: int, *, skip_current: bool, start: int | None = None
    ) -> bool:
        """Put the cursor on the next match from ``start`` (default: the cursor)."""
        table = self.table
        count = len(self.shown)
        if not count or not needle:
            return False
        start = max(0, table.cursor_row if start is None else start)
        for offset in range(1 if skip_current else 0, count + 1):
            download = self.shown[(start + step * offset) % count]
            if matches(download, needle):
                table.focus_key(download.key)
                return True
        return False

    def action_leave(self) -> None:
        """Esc: clear the filter; with none, close the details pane."""
        if self.filter_text:
            self.filter_text = ""
            self.refresh_view()
        elif self.details_open:
            self.close_details()

    @on(Input.Changed, "#prompt")
    def _on_prompt_changed(self, event: Input.Changed) -> None:
        prompt = self.prompt
        if prompt.mode is PromptMode.FILTER:
            self.filter_text = event.value
            self.refresh_view()
        else:
            self.search_text = event.value
            origin = self._search_origin
            found = self._jump_to_match(event.value, 1, skip_current=False, start=origin)
            if not found:  # a failed search leaves the cursor where it started
                self.table.move_cursor(origin)
            prompt.set_class(bool(event.value) and not found, "-no-match")

    @on(Input.Submitted, "#prompt")
    def _on_prompt_submitted(self) -> None:
        prompt = self.prompt
        if prompt.mode is PromptMode.SEARCH and prompt.has_class("-no-match"):
            self.notify(f"no match for {self.search_text!r}", severity="warning", markup=False)
        self._close_prompt()

    @on(Prompt.Cancelled)
    def _on_prompt_cancelled(self, event: Prompt.Cancelled) -> None:
        if event.mode is PromptMode.FILTER:
            self.filter_text = ""
            self.refresh_view()
        self._close_prompt()

    def _close_prompt(self) -> None:
        prompt = self.prompt
        prompt.display = False
        prompt.remove_class("-no-match")
        self.table.covered_rows = 0
        focus_now(self.table)

    async def action_help(self) -> None:
        await self.app.push_screen(HelpScreen())

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

        await self.app.push_screen(DaemonsScreen(rows, self._set_limits_of))

    # -- details pane ----------------------------------------------------------------------

    @property
    def details_open(self) -> bool:
        return self.details.has_class("-open")

    def action_open_details(self) -> None:
        download = self.focused_download()
        if download is None:
            return
        self.details.add_class("-open")
        self.details.show_download(download.key, download.name)
        self.details.focus_tab()
        self.fetch_details()

    def close_details(self) -> None:
        self.details.remove_class("-open")
        focus_now(self.table)

    @on(DetailsPane.Closed)
    def _on_details_closed(self) -> None:
        self.close_details()

    @on(DownloadsTable.CursorMoved)
    def _on_cursor_moved(self, message: DownloadsTable.CursorMoved) -> None:
        if self.details_open and message.key is not None:
            download = self.shown_download(message.key)
            if download is not None:
                self.details.show_download(download.key, download.name)

    @on(DetailsPane.Changed)
    def _on_details_changed(self) -> None:
        if self.details_open:
            self.fetch_details()

    @on(DetailsPane.Jump)
    def _on_jump(self, message: DetailsPane.Jump) -> None:
        shown = self.details.key
        if shown is None:
            return
        key = DownloadKey(shown.daemon, message.gid)
        if self.table.focus_key(key) or self._show_everything_and_focus(key):
            download = self.shown_download(key)
            self.details.show_download(key, download.name if download else message.gid)
        else:
            self.notify(f"download {message.gid} is no longer known to aria2", severity="warning")

    def _show_everything_and_focus(self, key: DownloadKey) -> bool:
        self.view, self.filter_text = View.ALL, ""
        self.refresh_view()
        return self.table.focus_key(key)

    def fetch_details(self) -> None:
        """One multicall for the shown tab of the download in the pane (a worker)."""
        key, tab = self.details.key, self.details.tab
        if key is None or key.daemon not in self._by_name:
            return
        session = self.session(key.daemon)
        if tab is Tab.SPEED:
            self.details.show_speed(session.history.of(key), self.settings.interval)
            return
        self._fetch_tab(session, key, tab)

    @work(group="details", exclusive=True, exit_on_error=False)
    async def _fetch_tab(self, session: DaemonSession, key: DownloadKey, tab: Tab) -> None:
        try:
            results = await session.client.multicall(calls_for(tab, key.gid))
        except Aria2Error:
            return  # the stats bar already says the daemon is unreachable
        self.details.apply(tab, key, results)

    @on(FilesTab.ApplySelection)
    def _on_apply_selection(self, message: FilesTab.ApplySelection) -> None:
        files_tab = self.details.query_one(FilesTab)
        session = self._by_name.get(message.key.daemon)
        if session is None:
            return

        async def work() -> None:
            await session.client.change_option(message.key.gid, {"select-file": message.value})
            files_tab.applied_now()
            self.notify(
                f"{message.count} files selected; aria2 restarts the download to apply it",
                markup=False,
            )
            self.fetch_details()

        self._run_rpc(work, "the file selection", session=session)

    @on(OptionsTab.EditOption)
    async def _on_edit_option(self, message: OptionsTab.EditOption) -> None:
        await self._edit_option(message)

    async def _edit_option(self, message: OptionsTab.EditOption) -> None:
        """Edit one option of a download (or of a daemon, gid None), then read it back:
        aria2 answers OK to changes it ignores."""
        session = self._by_name.get(message.daemon)
        if session is None:
            return
        is_limit = message.name.endswith("-limit")
        scope = "the daemon" if message.gid is None else "this download"
        if self.fleet and message.gid is None:
            scope = f"daemon {message.daemon}"

        def validate(value: str) -> str | None:
            if not is_limit:
                return None
            try:
                parse_bytes(value)
            except UnitError as exc:
                return str(exc)
            return None

        prompt = Text(f"{message.name} of {scope}")
        if is_limit:
            prompt.append("\n0 or empty: no limit; units K, M, G (e.g. 500K, 2.5M)", style="dim")
        shown = (
            format_bytes(int(message.value))
            if is_limit and message.value.isdigit()
            else message.value
        )

        def answered(value: str | None) -> None:
            if value is None:
                return
            sent = str(parse_bytes(value)) if is_limit else value
            self._run_rpc(
                partial(self._set_option, session, message.gid, message.name, sent),
                f"setting {message.name}",
                session=session,
            )

        dialog = InputDialog(
            f"Set {message.name}", prompt, "" if message.secret else shown, validate, message.secret
        )
        await self.app.push_screen(dialog, answered)

    async def _set_option(
        self, session: DaemonSession, gid: str | None, name: str, value: str
    ) -> None:
        if gid is None:
            outcome = await set_global_options(session.client, {name: value})
            self._remember_global(session, outcome.taken)
        else:
            outcome = await set_download_option(session.client, gid, {name: value})
        self.notify(
            self._where(session.name) + outcome.message(),
            severity="warning" if outcome.kept else "information",
            markup=False,
        )
        if gid is None:
            screen = self.app.screen
            if isinstance(screen, GlobalOptionsScreen):
                screen.reload()
        else:
            self.fetch_details()

    def _remember_global(self, session: DaemonSession, taken: dict[str, str]) -> None:
        """Global options set on the private daemon survive its restart."""
        private = session.endpoint.private
        if taken and private is not None:
            try:
                private.remember_options(taken)
            except OSError as exc:
                self.notify(
                    f"could not save the options for the next start: {exc.strerror}",
                    severity="warning",
                    markup=False,
                )

    # -- adding, limits, global options ------------------------------------------------

    async def action_add(self) -> None:
        async def open_dialog(daemon: str) -> None:
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
                    self.notify(f"added {plural(len(gids), 'download')}{to}", markup=False)
                    self._focus_when_shown(DownloadKey(daemon, gids[0]))

            async def check(items: Sequence[AddItem], options: dict[str, str]) -> list[str]:
                return await existing_on_local_daemon(session.client, items, options)

            await self.app.push_screen(AddDialog(submit, check=check), added)

        if not self.fleet:
            await open_dialog(self.sessions[0].name)
            return
        options = [(s.name, safe_text(s.name)) for s in self.sessions]

        def chosen(daemon: str | None) -> None:
            if daemon is not None:
                self.run_worker(open_dialog(daemon), group="dialogs")

        await self.app.push_screen(
            ChooseScreen("Add to which daemon?", options, self._focused_daemon()), chosen
        )

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
            self.notify(where + outcome.message(), severity="warning", markup=False)
        else:
            self.notify(
                f"{where}global limits ↓ {limit_words(down)}  ↑ {limit_words(up)}", markup=False
            )

    def action_step_limit(self, direction: int) -> None:
        """+/-: the global ↓ limit of the daemon of the row under the cursor."""
        session = self.session(self._focused_daemon())
        shot = self.snapshots.get(session.name)
        stat = shot.stat if shot else None
        if stat is None or stat.down_limit is None or stat.up_limit is None:
            self.notify("the daemon's limits are not known yet", severity="warning")
            return
        wanted, up = step_limit(stat.down_limit, direction), stat.up_limit
        self._run_rpc(
            partial(self._set_global_limits, session, wanted, up),
            "the global limits",
            session=session,
        )

    def action_download_limits(self) -> None:
        targets = self.targets()
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
        where = self._where(session.name)
        for error in result.errors[:3]:
            self.notify(where + error, severity="error", markup=False)
        if result.done:
            count = len(result.done)
            self.notify(
                f"{where}limits of {plural(count, 'download')}: "
                f"↓ {limit_words(down)}  ↑ {limit_words(up)}",
                markup=False,
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
        options = [(s.name, safe_text(s.name)) for s in self.sessions]

        def answered(choice: str | None) -> None:
            if choice is not None:
                chosen(choice)

        await self.app.push_screen(
            ChooseScreen("Global options of…", options, self._focused_daemon()), answered
        )
