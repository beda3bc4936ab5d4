"""The dashboard: the stats bar, the view line, the downloads of every daemon in one
table, the details pane and the prompt; the keys and what they do.

It never waits on the network: each daemon's session polls and listens in the
background and posts what it learns here; every action runs as a worker, one
multicall per daemon, and says what happened in words.

The screen holds the state every part reads (the sessions, their snapshots, the
merged downloads, the shown rows, the view, sort and filter as reactives whose
watchers refresh the table) and owns its parts, each with one job:

- :class:`.RowsRefresh`: rows, bars and view line from the snapshots;
- :class:`.LinkWatch`: how old each daemon's data is;
- :class:`.Announcer`: what started, finished or failed;
- :class:`.DashboardHooks`: the ``[hooks]`` commands, run as downloads start, end…;
- :class:`.DashboardTurtle`: turtle limits (T, ``[turtle]``) and their schedule;
- :class:`.StreamWindows`: moves a streamed torrent's head window forward;
- :class:`.SelectionWaits`: file selections aria2 applies later, said and applied now;
- :class:`.WatchedFolders`: the files dropped in the watched folders, added;
- :class:`.CursorFollow`: where the cursor goes when rows change;
- :class:`.Selection`: the tags, and whom an action is for;
- :class:`.ActionRunner`: actions per daemon, in workers, reported in words;
- :class:`.DetailsFetcher`: the details pane;
- the command groups (:mod:`.download_commands`, :mod:`.file_commands`,
  :mod:`.daemon_commands`, :mod:`.view_commands`, :mod:`.info_commands`,
  :mod:`.uri_commands`): what the
  keys do. The ``action_*`` methods below only say which group does it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from textual import on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input

from aria2_top.config.settings import Settings
from aria2_top.live.fleet import merged, total_stat
from aria2_top.live.poll_state import PollState
from aria2_top.live.session import DaemonSession
from aria2_top.model.columns import LIMIT_COLUMNS
from aria2_top.model.downloads import Download, DownloadKey, Snapshot
from aria2_top.model.events import EventLog
from aria2_top.model.format import plural
from aria2_top.model.query import View
from aria2_top.model.speed_samples import combined
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.dashboard.announcer import Announcer
from aria2_top.ui.dashboard.cursor_follow import CursorFollow
from aria2_top.ui.dashboard.daemon_commands import DaemonCommands
from aria2_top.ui.dashboard.details_fetcher import DetailsFetcher
from aria2_top.ui.dashboard.download_commands import DownloadCommands
from aria2_top.ui.dashboard.file_commands import FileCommands
from aria2_top.ui.dashboard.group_options_part import GroupOptions
from aria2_top.ui.dashboard.hooks_part import DashboardHooks
from aria2_top.ui.dashboard.info_commands import InfoCommands
from aria2_top.ui.dashboard.link_watch import LinkWatch
from aria2_top.ui.dashboard.messages import EventsLive, PollStatusChanged, SnapshotArrived
from aria2_top.ui.dashboard.rows_refresh import RowsRefresh
from aria2_top.ui.dashboard.runner import ActionRunner
from aria2_top.ui.dashboard.selection import Selection
from aria2_top.ui.dashboard.selection_wait_part import SelectionWaits
from aria2_top.ui.dashboard.stream_part import StreamWindows
from aria2_top.ui.dashboard.turtle_part import DashboardTurtle
from aria2_top.ui.dashboard.uri_commands import UriCommands
from aria2_top.ui.dashboard.view_commands import ViewCommands
from aria2_top.ui.dashboard.watch_part import WatchedFolders
from aria2_top.ui.focus import focus_now, owned_below, typing
from aria2_top.ui.keys import APP_ACTIONS, bindings
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.widgets.details.pane import DetailsPane
from aria2_top.ui.widgets.downloads_table import DownloadsTable
from aria2_top.ui.widgets.prompt import Prompt
from aria2_top.ui.widgets.stats_bar import StatsBar
from aria2_top.ui.widgets.text_line import TextLine
from aria2_top.ui.workers import ReportsWorkerErrors, in_worker


class DashboardScreen(ReportsWorkerErrors, Screen[None]):
    """The main screen: every daemon's downloads, and the keys that act on them."""

    BINDINGS = [*bindings()]

    # repaint=False: the widgets that show them repaint themselves; a repaint of the
    # whole screen would draw every line again (30-60 ms at 160x50, on each sort key).
    view: reactive[View] = reactive(View.ALL, init=False, repaint=False)
    """Which downloads the table shows (the tabs 1-6)."""
    sort_column: reactive[str] = reactive("pos", init=False, repaint=False)
    sort_reverse: reactive[bool] = reactive(False, init=False, repaint=False)
    filter_text: reactive[str] = reactive("", init=False, repaint=False)
    """The filter typed after \\ (words, ``host:NAME``)."""

    def __init__(self, sessions: Sequence[DaemonSession], settings: Settings) -> None:
        super().__init__()
        self.sessions = list(sessions)
        self.settings = settings
        self._by_name = {session.name: session for session in self.sessions}
        self.snapshots: dict[str, Snapshot] = {}
        """Each daemon's last snapshot handled."""
        self.downloads: tuple[Download, ...] = ()
        """Every daemon's downloads, merged."""
        self.shown: list[Download] = []
        """The table's rows: the downloads of the view, filtered and sorted."""
        self.events = EventLog()
        """What happened, for e."""
        self.table_setup = settings.table
        """The table's columns and widths as set up (F2)."""
        self.set_reactive(DashboardScreen.view, settings.table.view)
        self.set_reactive(DashboardScreen.sort_column, settings.table.sort)
        self.set_reactive(DashboardScreen.sort_reverse, settings.table.reverse)
        self._held_refresh: bool | None = None
        """Inside :meth:`one_refresh`: whether a refresh is owed (None: outside)."""
        self._quitting = False
        # The parts, each with one job (see the module's docstring).
        self.rows = RowsRefresh(self)
        self.link_watch = LinkWatch(self)
        self.announcer = Announcer(self)
        self.hooks = DashboardHooks(self)
        self.turtle = DashboardTurtle(self)
        self.stream_windows = StreamWindows(self)
        self.selection_waits = SelectionWaits(self)
        self.watched = WatchedFolders(self)
        self.cursor = CursorFollow(self)
        self.selection = Selection(changed=self.refresh_view)
        self.runner = ActionRunner(self)
        self.details_fetcher = DetailsFetcher(self)
        self.download_commands = DownloadCommands(self)
        self.uri_commands = UriCommands(self)
        self.group_options = GroupOptions(self)
        self.file_commands = FileCommands(self)
        self.daemon_commands = DaemonCommands(self)
        self.view_commands = ViewCommands(self)
        self.info_commands = InfoCommands(self)

    # -- the daemons ---------------------------------------------------------------------

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

    def session_named(self, daemon: str) -> DaemonSession | None:
        """The session of ``daemon``, if it is one of this view's."""
        return self._by_name.get(daemon)

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
        self.use_layout()
        self.table.set_fleet(self.fleet, [s.name for s in self.sessions])
        self.details.host = self.fleet
        self.refresh_view()
        focus_now(self.table)
        self.link_watch.start()
        self.hooks.start()
        self.turtle.start()
        self.watched.start()

    def on_unmount(self) -> None:
        self.hooks.stop()
        self.watched.stop()

    def use_layout(self) -> None:
        """Show the columns set up (F2); look up limits only while a column shows them."""
        setup = self.table_setup
        self.table.set_layout(setup.columns, dict(setup.widths))
        wanted = bool(LIMIT_COLUMNS & set(setup.columns))
        for session in self.sessions:
            session.poller.want_limits(wanted)

    def on_resize(self) -> None:
        self.refresh_view()  # the view bar and the stats bar choose forms that fit

    # -- data in ---------------------------------------------------------------------------

    @on(SnapshotArrived)
    def _on_snapshot(self, message: SnapshotArrived) -> None:
        session, snapshot = message.session, message.snapshot
        before = self.snapshots.get(session.name)
        self.announcer.announce(session, before, snapshot)
        self.hooks.snapshot_came(session, before, snapshot)
        self.turtle.snapshot_came(session, snapshot)
        self.stream_windows.snapshot_came(session, snapshot)
        self.selection_waits.snapshot_came(session, snapshot)
        self.snapshots[session.name] = snapshot
        self.downloads = merged(self.snapshots.get(s.name) for s in self.sessions)
        self.selection.keep_known(self.downloads)
        session.history.record(snapshot)
        stats = self.stats_bar
        fleet_speeds = combined([s.history.daemon for s in self.sessions])
        stats.down_history = [down for down, _ in fleet_speeds]
        stats.stat = total_stat([s.stat for s in self.snapshots.values()])
        stats.version = "" if self.fleet else snapshot.version
        stats.problems = tuple(
            f"{name}: {problem}" if self.fleet else problem
            for name, shot in self.snapshots.items()
            for problem in shot.problems
        )
        self.cursor.snapshot_came(snapshot)
        self.link_watch.replied()
        self.runner.report_late_answers(session.name, snapshot)
        self.file_commands.snapshot_came(session, snapshot)
        self.rows.soon()

    @on(PollStatusChanged)
    def _on_poll_status(self, message: PollStatusChanged) -> None:
        status = message.status
        self.events.link(
            message.session.name, status.state is PollState.CONNECTED, status.error or ""
        )
        self.link_watch.watch()
        if not self.downloads:
            self.table.empty_text = self.rows.empty_text(False)

    @on(EventsLive)
    def _on_events_live(self) -> None:
        self.link_watch.watch()

    # -- the rows ------------------------------------------------------------------------

    def watch_view(self) -> None:
        self._view_changed()

    def watch_sort_column(self) -> None:
        self._view_changed()

    def watch_sort_reverse(self) -> None:
        self._view_changed()

    def watch_filter_text(self) -> None:
        self._view_changed()

    def _view_changed(self) -> None:
        if self._held_refresh is not None:
            self._held_refresh = True
        elif self.is_mounted:
            self.refresh_view()

    @contextmanager
    def one_refresh(self, *, always: bool = False) -> Iterator[None]:
        """Change several of view, sort and filter with one refresh of the table (and
        with ``always``, refresh even if none of them changed)."""
        self._held_refresh = always
        try:
            yield
        finally:
            owed, self._held_refresh = self._held_refresh, None
            if owed and self.is_mounted:
                self.refresh_view()

    def refresh_view(self, *, follow: bool = True) -> None:
        """Re-derive the rows from the last snapshots and the view settings; ``follow``:
        the cursor stays on its download (see :meth:`DownloadsTable.show`)."""
        self.rows.refresh(follow=follow)

    @property
    def last_refresh_seconds(self) -> float:
        return self.rows.seconds

    def show_everything(self) -> None:
        """Every download, unfiltered (to put the cursor on one the view hides)."""
        with self.one_refresh():
            self.view, self.filter_text = View.ALL, ""

    # -- whom a key is for -------------------------------------------------------------

    @property
    def tagged(self) -> set[DownloadKey]:
        return self.selection.tagged

    def shown_download(self, key: DownloadKey | None) -> Download | None:
        """The download ``key`` if the table shows it (a scan: only on a key press)."""
        return next((d for d in self.shown if d.key == key), None)

    def focused_download(self) -> Download | None:
        return self.shown_download(self.table.focused_key)

    def targets(self) -> list[Download]:
        """The tagged downloads, else the one under the cursor."""
        return self.selection.targets(self.downloads, self.focused_download())

    def focused_daemon(self) -> str:
        """The daemon of the row under the cursor (else the first daemon)."""
        focused = self.table.focused_key
        return focused.daemon if focused is not None else self.sessions[0].name

    @property
    def details_open(self) -> bool:
        return self.details_fetcher.is_open

    def fetch_details(self) -> None:
        self.details_fetcher.fetch()

    # -- the keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard's keys step aside for a dialog, a text field, and a widget that
        binds the same key itself (see ui/focus.py). The palette and code always run
        them."""
        app = app_of(self)
        key = app.key_in_hand
        if key is None and action == "open_details" and self.details_open:
            return False  # the footer: the open pane's Esc says it instead (room at 80 wide)
        if action not in APP_ACTIONS or key is None:
            return True
        if isinstance(app.screen, ModalScreen) or typing(app):
            return False
        return not owned_below(app, key, app.keymap)

    def action_quit(self) -> None:
        """Quit; while a download is out of aria2 to be added again, first say so and
        quit once it is back (the app waits for it on the way out in any case)."""
        app = app_of(self)
        pending = app.unfinished.pending
        if pending and not self._quitting:
            self._quitting = True
            self.notify(f"quitting once this ends: {pending[0]}…", timeout=60)
            in_worker(self, self._quit_when_done, "quit")
            return
        app.exit()

    async def _quit_when_done(self) -> None:
        app = app_of(self)
        await app.unfinished.finish_soon()
        app.exit()

    # Tags, follow and the cursor.
    def action_tag(self) -> None:
        key = self.table.focused_key
        if key is not None:
            self.selection.toggle(key)
            self.table.action_cursor_down()

    def action_untag_all(self) -> None:
        self.selection.clear()

    def action_tag_all(self) -> None:
        """Tag every row of the view (the tags of other views stay)."""
        self.selection.tag(self.shown)

    def action_invert_tags(self) -> None:
        """Tag the untagged rows of the view and untag the tagged ones."""
        self.selection.invert(self.shown)

    def action_toggle_follow(self) -> None:
        self.view_commands.toggle_follow()

    def action_cursor(self, where: str) -> None:
        self.view_commands.cursor(where)

    # Views, hosts, sort, search and filter.
    def action_cycle_view(self, step: int) -> None:
        self.view_commands.cycle_view(step)

    def action_set_view(self, index: int) -> None:
        self.view_commands.set_view(index)

    def action_cycle_host(self) -> None:
        self.view_commands.cycle_host()

    def action_invert_sort(self) -> None:
        self.view_commands.invert_sort()

    def action_shift_sort(self, step: int) -> None:
        self.view_commands.shift_sort(step)

    async def action_choose_sort(self) -> None:
        await self.view_commands.choose_sort()

    def action_search(self) -> None:
        self.view_commands.search()

    def action_filter(self) -> None:
        self.view_commands.filter()

    def action_next_match(self, step: int) -> None:
        self.view_commands.next_match(step)

    def action_leave(self) -> None:
        self.view_commands.leave()

    # The downloads.
    def action_toggle_pause(self) -> None:
        self.download_commands.toggle_pause()

    async def action_toggle_pause_all(self) -> None:
        await self.download_commands.toggle_pause_all()

    async def action_remove(self) -> None:
        await self.download_commands.remove()

    async def action_purge(self) -> None:
        await self.download_commands.purge()

    async def action_retry(self) -> None:
        await self.download_commands.retry()

    async def action_retry_all(self) -> None:
        await self.download_commands.retry_all()

    def action_edit_uris(self) -> None:
        self.uri_commands.edit()

    def action_move(self, how: str) -> None:
        self.download_commands.move(how)

    # Their data.
    async def action_copy(self) -> None:
        await self.file_commands.copy()

    def action_verify(self) -> None:
        self.file_commands.verify()

    def action_export_torrent(self) -> None:
        self.file_commands.export_torrent()

    def action_stream(self) -> None:
        self.file_commands.stream()

    def action_open(self) -> None:
        self.file_commands.open()

    def action_open_folder(self) -> None:
        self.file_commands.open_folder()

    def action_move_files(self) -> None:
        self.file_commands.move_files()

    # The daemons: adding, limits, options.
    async def action_add(self) -> None:
        await self.daemon_commands.add()

    def action_history(self) -> None:
        self.daemon_commands.history()

    async def action_global_limits(self) -> None:
        await self.daemon_commands.global_limits()

    def action_step_limit(self, direction: int) -> None:
        self.daemon_commands.step_limit(direction)

    def action_toggle_turtle(self) -> None:
        self.turtle.toggle()

    def action_download_limits(self) -> None:
        self.daemon_commands.download_limits()

    async def action_global_options(self) -> None:
        await self.daemon_commands.global_options()

    async def action_daemons(self) -> None:
        await self.daemon_commands.daemons()

    # The screens that tell more.
    def action_open_details(self) -> None:
        download = self.focused_download()
        if download is not None:
            self.details_fetcher.open(download)

    async def action_help(self) -> None:
        await self.info_commands.help()

    def action_events(self) -> None:
        self.info_commands.events()

    def action_debug_info(self) -> None:
        self.info_commands.debug_info()

    def action_setup(self) -> None:
        self.info_commands.setup()

    # -- what the widgets say ------------------------------------------------------------

    @on(DownloadsTable.HeaderSelected)
    def _on_header(self, event: DownloadsTable.HeaderSelected) -> None:
        self.view_commands.header_clicked(event.column_key)

    @on(DownloadsTable.CursorMoved)
    def _on_cursor_moved(self, message: DownloadsTable.CursorMoved) -> None:
        self.details_fetcher.cursor_moved(message.key)

    @on(Input.Changed, "#prompt")
    def _on_prompt_changed(self, event: Input.Changed) -> None:
        self.view_commands.prompt_changed(event.value)

    @on(Input.Submitted, "#prompt")
    def _on_prompt_submitted(self) -> None:
        self.view_commands.prompt_submitted()

    @on(Prompt.Cancelled)
    def _on_prompt_cancelled(self, event: Prompt.Cancelled) -> None:
        self.view_commands.prompt_cancelled(event.mode)

    @on(DetailsPane.Closed)
    def _on_details_closed(self) -> None:
        self.details_fetcher.close()

    @on(DetailsPane.Changed)
    def _on_details_changed(self) -> None:
        if self.details_fetcher.is_open:
            self.details_fetcher.fetch()

    @on(DetailsPane.Jump)
    def _on_jump(self, message: DetailsPane.Jump) -> None:
        self.details_fetcher.jump(message.gid)

    @on(FilesTab.ApplySelection)
    def _on_apply_selection(self, message: FilesTab.ApplySelection) -> None:
        self.details_fetcher.apply_selection(message)

    @on(FilesTab.ApplyNow)
    def _on_apply_now(self, message: FilesTab.ApplyNow) -> None:
        self.selection_waits.apply_now(message.key)

    @on(OptionsTab.EditOutside)
    def _on_edit_outside(self, message: OptionsTab.EditOutside) -> None:
        self.group_options.edit_outside(message)

    @on(OptionsTab.EditOption)
    async def _on_edit_option(self, message: OptionsTab.EditOption) -> None:
        if message.group:
            await self.group_options.edit(message)
        else:
            await self.daemon_commands.edit_option(message)
