"""The dashboard's state and layout: every daemon's snapshots in, one table out.

The sessions post what they learn (:mod:`.messages`); the dashboard merges the
daemons' downloads, keeps the link states, and redraws the bars and the table.
The keys' actions are in the sibling modules, one group each."""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer

from aria2_top.config.settings import Settings
from aria2_top.live.fleet import merged, total_stat
from aria2_top.live.poll_state import PollState
from aria2_top.live.session import DaemonSession
from aria2_top.live.tab_fetch import fetch_tab
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.columns import LIMIT_COLUMNS
from aria2_top.model.downloads import Download, DownloadKey, Snapshot, group_of
from aria2_top.model.downloads import finished_or_failed as endings
from aria2_top.model.events import EventKind, EventLog, started
from aria2_top.model.format import plural
from aria2_top.model.rows import RowOrder, StatusTally, parts_of, same_objects
from aria2_top.model.speed_samples import combined
from aria2_top.model.tabs import Tab
from aria2_top.ops import actions
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.verify import Verifying
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui import desktop_notify, wording
from aria2_top.ui.dashboard.messages import (
    EventsLive,
    Followed,
    PollStatusChanged,
    SnapshotArrived,
    Unanswered,
)
from aria2_top.ui.focus import focus_now, owned_below, typing
from aria2_top.ui.keys import APP_ACTIONS
from aria2_top.ui.widgets.details.pane import DetailsPane
from aria2_top.ui.widgets.downloads_table import DownloadsTable
from aria2_top.ui.widgets.prompt import Prompt
from aria2_top.ui.widgets.stats_bar import Counts, Link, StatsBar
from aria2_top.ui.widgets.text_line import TextLine
from aria2_top.ui.widgets.view_bar import view_text
from aria2_top.ui.workers import ReportsWorkerErrors

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


QUIET_WORK_DELAY = 1.0
"""Seconds before work done ahead (sort orders) is tried again while keys come."""


def failure_text(download: Download) -> str:
    """``name (aria2's reason)``: how a failed download is named in notices and events."""
    why = describe_error(download.error_code, download.error_message)
    return download.name + (f" ({why})" if why else "")


def stale_after(settings: Settings) -> float:
    """Seconds without a good reply after which the bar says how old the data is: so
    that it is on screen within two intervals (drawing it takes a moment), but never
    sooner than a second (a fast interval would make every slow poll flicker)."""
    return max(2 * settings.interval - DRAW_MARGIN, MIN_STALE_AFTER)


class DashboardBase(ReportsWorkerErrors, Screen[None]):
    """The dashboard's state, layout, data in and whom an action is for."""

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
        self.table_setup = settings.table
        """The table's columns and widths as set up (F2)."""
        self.view = settings.table.view
        self.sort_column = settings.table.sort
        self.sort_reverse = settings.table.reverse
        self.filter_text = ""
        self.search_text = ""
        self._search_origin = 0
        """The cursor's row when the search began: a failed search goes back there."""
        self.follow_mode = False
        """F: the cursor follows its download when a refresh moves it (htop's follow);
        off, it keeps its line and the download that takes it."""
        self._follow: Followed | None = None
        """The download the user just acted on: the cursor follows it through the
        refreshes until one asked after the action, while it stays in its list (a
        queue move); one that leaves its list (removed, paused, resumed) leaves its
        line to the row that takes the place, as in htop."""
        self.tagged: set[DownloadKey] = set()
        self.shown: list[Download] = []
        self.events = EventLog()
        """What happened, for e."""
        self._row_order = RowOrder()
        self._lists_known: tuple[tuple[Download, ...], ...] = ((),)
        """The snapshots' lists the table last learnt every download of."""
        self._prepare_timer: Timer | None = None
        self._tally = StatusTally(self._row_order.matches)
        self.last_refresh_seconds = 0.0
        self._pending_focus: tuple[DownloadKey, int] | None = None
        """(the download to put the cursor on once shown, the cursor's moves when
        that was asked): dropped once the cursor was moved on purpose since."""
        self._refresh_timer: Timer | None = None
        self._last_shown = 0.0
        self._refresh_gap = min(settings.interval / 2, MAX_REFRESH_GAP)
        self._follow_next = False
        self._removal_plans: dict[DownloadKey, DeletionPlan | None] = {}
        """What F9's d would delete, per download, once looked at."""
        self._stepped: dict[str, tuple[int, float]] = {}
        """The ↓ limit +/- last asked of each daemon, and when."""
        self._quitting = False
        self._verifying: dict[DownloadKey, Verifying] = {}
        """Checks under way (V), by the download added again for them."""

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
        self.use_layout()
        self.table.set_fleet(self.fleet, [s.name for s in self.sessions])
        self.details.host = self.fleet
        self.refresh_view()
        focus_now(self.table)
        self._watch_link()
        self.set_interval(min(0.5, self.settings.interval / 2), self._watch_link)

    def use_layout(self) -> None:
        """Show the columns set up (F2); look up limits only while a column shows them."""
        setup = self.table_setup
        self.table.set_layout(setup.columns, dict(setup.widths))
        wanted = bool(LIMIT_COLUMNS & set(setup.columns))
        for session in self.sessions:
            session.poller.want_limits(wanted)

    def on_resize(self) -> None:
        self.refresh_view()  # the view bar and the stats bar choose forms that fit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard's keys step aside for a dialog, a text field, and a widget that
        binds the same key itself (see ui/focus.py). The palette and code always run
        them."""
        key = getattr(self.app, "key_in_hand", None)
        if action not in APP_ACTIONS or key is None:
            return True
        if isinstance(self.app.screen, ModalScreen) or typing(self.app):
            return False
        return not owned_below(self.app, key, self.app.keymap)

    def action_quit(self) -> None:
        """Quit; while a download is out of aria2 to be added again, first say so and
        quit once it is back (the app waits for it on the way out in any case)."""
        pending = self.app.unfinished.pending
        if pending and not self._quitting:
            self._quitting = True
            self.notify(f"quitting once this ends: {pending[0]}…", timeout=60)
            self._quit_when_done()
            return
        self.app.exit()

    @work(group="quit", exclusive=True, exit_on_error=False)
    async def _quit_when_done(self) -> None:
        await self.app.unfinished.finish_soon()
        self.app.exit()

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
        self._after_snapshot(session, snapshot)
        self._refresh_soon()

    def _after_snapshot(self, session: DaemonSession, snapshot: Snapshot) -> None:
        """For the parts that follow what a snapshot shows (a check under way...)."""

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
        if self._pending_focus is not None:
            self._focus_pending(*self._pending_focus)
        if self.details_open:
            self.fetch_details()

    def _daemon_history(self) -> list[tuple[int, int]]:
        return combined([s.history.daemon for s in self.sessions])

    @on(PollStatusChanged)
    def _on_poll_status(self, message: PollStatusChanged) -> None:
        status = message.status
        self.events.link(
            message.session.name, status.state is PollState.CONNECTED, status.error or ""
        )
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
        for begun in started(before, after):
            self.events.add(EventKind.STARTED, session.name, begun.name)
        for done in finished:
            self.events.add(EventKind.FINISHED, session.name, done.name)
        failures = [failure_text(lost) for lost in failed]
        for text in failures:
            self.events.add(EventKind.FAILED, session.name, text)
        if self.settings.notify:
            self._desktop(finished, failed, where)
        for done in finished[:MAX_ANNOUNCED]:
            self.notify(f"finished{where}: {done.name}", title="download")
        for text in failures[:MAX_ANNOUNCED]:
            self.notify(f"failed{where}: {text}", title="download", severity="error")
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

    @work(group="desktop", exit_on_error=False)
    async def _desktop(self, finished: list[Download], failed: list[Download], where: str) -> None:
        """Desktop notifications of what ended (``notify`` in the config file)."""
        lines = [f"finished{where}: {d.name}" for d in finished]
        lines += [f"failed{where}: {d.name}" for d in failed]
        if lines:
            shown = lines[:MAX_ANNOUNCED] + (
                [f"… and {len(lines) - MAX_ANNOUNCED} more"] if len(lines) > MAX_ANNOUNCED else []
            )
            await desktop_notify.send("aria2-top", "\n".join(shown))

    def _follows(self, snapshot: Snapshot) -> bool:
        """Whether the cursor follows its download through this snapshot: it does for
        a download the user just acted on, until a poll sent after the action, as long
        as it stays in the list it was in (see :attr:`_follow`)."""
        followed = self._follow
        if followed is None:
            return False
        if followed.ended and snapshot.asked_at > followed.ended:
            self._follow = None
        if followed.key != self.table.focused_key:
            return False
        shot = self.snapshots.get(followed.key.daemon)
        now = next((d for d in shot.downloads if d.key == followed.key), None) if shot else None
        if now is None or group_of(now.status) != followed.group:
            self._follow = None  # it left its list: its line goes to the next row
            return False
        return True

    def refresh_view(self, *, follow: bool = True) -> None:
        """Re-derive the rows from the last snapshots and the view settings; ``follow``:
        the cursor stays on its download (see :meth:`DownloadsTable.show`)."""
        started = time.perf_counter()
        downloads = self.downloads
        parts = parts_of([self.snapshots.get(s.name) for s in self.sessions])
        rows = self._row_order.rows(
            parts, self.view, self.filter_text, self.sort_column, self.sort_reverse
        )
        self.shown = rows
        self.table.set_view(self.view)
        self.table.set_sort(self.sort_column, self.sort_reverse)
        self.table.empty_text = self._empty_text(bool(downloads))
        stale = self._stale if self.fleet and len(self._stale) < len(self.sessions) else frozenset()
        order = self._row_order
        lists = tuple(listed for _, listed in parts)
        if not same_objects(lists, self._lists_known):
            self.table.know(downloads)  # the lists were fetched anew: every download
            self._lists_known = lists
            if self._prepare_timer is None:
                self._prepare_timer = self.set_timer(QUIET_WORK_DELAY, self._prepare_sorts)
        fresh = [d for running, _ in parts for d in running]
        self.table.show(
            rows, self.tagged, follow=follow, stale=stale, fresh=fresh, same_order=order.same_order
        )
        counts = self._tally.view_counts(parts, self.filter_text)  # for both bars
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

    def _prepare_sorts(self) -> None:
        """Work out ahead, while no key comes, what a change of the sort column needs
        (at 100,000 downloads about 0.1 s that would otherwise hold up that key)."""
        idle = getattr(self.app, "idle_gc", None)
        if idle is not None and not idle.quiet_now():
            self._prepare_timer = self.set_timer(QUIET_WORK_DELAY, self._prepare_sorts)
            return
        self._prepare_timer = None
        self._row_order.prepare(parts_of([self.snapshots.get(s.name) for s in self.sessions]))

    def _empty_text(self, has_downloads: bool) -> str:
        """What an empty table says: why it is empty, and what to do."""
        return wording.empty_table(
            [s.status for s in self.sessions],
            answered=bool(self.snapshots),
            has_downloads=has_downloads,
            view_label=self.view.label,
            filter_text=self.filter_text,
        )

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
            self.notify(outcome)

    def _focus_pending(self, key: DownloadKey, moves: int) -> None:
        """Put the cursor on ``key`` now that it is shown, unless the user moved the
        cursor since it was asked (then it stays where they put it)."""
        if self.table.moves != moves or self.table.focus_key(key):
            self._pending_focus = None

    def _focus_when_shown(self, key: DownloadKey) -> None:
        """Put the cursor on ``key`` as soon as a snapshot brings it."""
        self._pending_focus = (key, self.table.moves)
        session = self._by_name.get(key.daemon)
        if session is not None:
            session.wake()

    @property
    def details_open(self) -> bool:
        return self.details.has_class("-open")

    def close_details(self) -> None:
        self.details.remove_class("-open")
        focus_now(self.table)

    def fetch_details(self) -> None:
        """One multicall for the shown tab of the download in the pane (a worker)."""
        key, tab = self.details.key, self.details.tab
        if key is None or key.daemon not in self._by_name:
            return
        session = self.session(key.daemon)
        if tab is Tab.SPEED:
            self.details.show_speed(session.history.of(key), self.settings.interval)
            return
        self.details.show_known()
        self._fetch_tab(session, key, tab)

    @work(group="details", exclusive=True, exit_on_error=False)
    async def _fetch_tab(self, session: DaemonSession, key: DownloadKey, tab: Tab) -> None:
        try:
            results = await fetch_tab(session.client, tab, key.gid)
        except Aria2Error as exc:
            self.details.unavailable(tab, f"{session.name} does not answer: {exc}")
            return
        self.details.apply(tab, key, results)
