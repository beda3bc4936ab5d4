"""The Textual application: wires the poller and the notification listener to the
widgets, and the keys to the actions.

The UI never waits on the network: polling, listening and every action run as
workers; their results come back as messages or notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from aria2_top.config import Settings
from aria2_top.core import actions
from aria2_top.core.add_input import AddItem
from aria2_top.core.adding import AddOutcome, add_all
from aria2_top.core.aria2_codes import describe_error
from aria2_top.core.details import Tab, calls_for
from aria2_top.core.existing import existing_on_local_daemon
from aria2_top.core.format import plural, safe_text
from aria2_top.core.history import SpeedHistory
from aria2_top.core.model import STOPPED, Download, Snapshot, Status, finished_or_failed
from aria2_top.core.options import (
    GLOBAL_LIMITS,
    limit_words,
    set_download_limits,
    set_download_option,
    set_global_options,
    shared_limits,
)
from aria2_top.core.poller import Poller, PollState, PollStatus
from aria2_top.core.query import (
    COLUMNS,
    View,
    first_direction,
    matches,
    sort_downloads,
    visible,
)
from aria2_top.core.units import UnitError, format_bytes, parse_bytes, step_limit
from aria2_top.crash_report import write_crash_report
from aria2_top.daemon import DaemonError
from aria2_top.endpoint import Endpoint
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2Error, Aria2TimeoutError
from aria2_top.rpc.notifications import (
    ConnectionState,
    ListenerStatus,
    Notification,
    NotificationListener,
)
from aria2_top.ui.focus import focus_now, owned_below, typing
from aria2_top.ui.keys import APP_ACTIONS, bindings, palette_entries
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.confirm import ConfirmScreen
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


def stale_after(settings: Settings) -> float:
    """Seconds without a good reply after which the bar says how old the data is: so
    that it is on screen within two intervals (drawing it takes a moment), but never
    sooner than a second (a fast interval would make every slow poll flicker)."""
    return max(2 * settings.interval - DRAW_MARGIN, MIN_STALE_AFTER)


SESSION_SAVE_INTERVAL = 60.0
"""Seconds between saves of the private daemon's session."""


class SnapshotArrived(Message):
    """The poller has new data; only the newest one waiting is handled."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotArrived)


class PollStatusChanged(Message):
    def __init__(self, status: PollStatus) -> None:
        super().__init__()
        self.status = status


@dataclass(frozen=True, slots=True)
class Unanswered:
    """An action aria2 did not answer in time: it may still apply."""

    what: str
    targets: tuple[Download, ...]
    gave_up_at: float


class Aria2TopApp(App[None]):
    """aria2-top's main application."""

    TITLE = "aria2-top"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = [*bindings()]

    def __init__(
        self,
        endpoint: Endpoint,
        settings: Settings,
        *,
        client: Aria2Client | None = None,
        listen: bool = True,
    ) -> None:
        """``client`` replaces the endpoint's (tests pass one on a mock transport);
        ``listen=False`` skips the WebSocket listener (for deterministic snapshots)."""
        super().__init__()
        self.endpoint = endpoint
        self.settings = settings
        self.listen = listen
        self.client: Aria2Client = client or endpoint.client(settings)
        self.poller = Poller(
            self.client,
            interval=settings.interval,
            on_snapshot=lambda snapshot: self.post_message(SnapshotArrived(snapshot)),
            on_status=lambda status: self.post_message(PollStatusChanged(status)),
            on_internal_error=self._report_internal_error,
            daemon=endpoint.label,
        )
        self.crash_report: Path | None = None
        """Where the report of the error that ended the app went (None: no such error)."""
        self._unanswered: list[Unanswered] = []
        self._internal_reports: dict[str, str] = {}
        self._stale_timer: Timer | None = None
        self._key: str | None = None
        """The key being handled, while it is."""
        self.snapshot: Snapshot | None = None
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
        self._follow: tuple[str, float] | None = None
        """(GID, when the action on it ended): the cursor follows this download through
        the refreshes until one asked after the action (a p, a queue move...)."""
        self.tagged: set[str] = set()
        self.shown: list[Download] = []
        self.last_refresh_seconds = 0.0
        self._pending_focus: str | None = None
        self.history = SpeedHistory()

    # -- layout and lifecycle ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept as attributes: every tick uses them, with no DOM query.
        self.stats_bar = StatsBar(self.endpoint.label, id="stats")
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
        self.refresh_view()
        self.table.focus()
        self.stats_bar.link = Link(self.poller.status, stale_after=stale_after(self.settings))
        self.set_interval(min(0.5, self.settings.interval / 2), self._watch_link)
        self.run_worker(self.poller.run(), name="poller", group="poller")
        if self.listen:
            self.run_worker(self._listen(), name="notifications", group="listener")
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=24 * 3600, markup=False)
        if self.endpoint.private is not None:
            self.set_interval(SESSION_SAVE_INTERVAL, self._save_session)
        if not self.is_headless and sys.platform != "win32":
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                # Closing the terminal or `kill` quits cleanly: the private daemon is
                # saved and stopped as on q.
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(number, self.exit)

    def on_resize(self) -> None:
        self.refresh_view()  # the view bar and the stats bar choose forms that fit

    # -- keys ----------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Note the key being handled, for :meth:`check_action`."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._key = event.key
            try:
                await super().on_event(event)
            finally:
                self._key = None
        else:
            await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The app's keys step aside for a dialog, a text field, and a widget that binds
        the same key itself (see ui/focus.py). The palette and code always run them."""
        if action not in APP_ACTIONS or self._key is None:
            return True
        if isinstance(self.screen, ModalScreen) or typing(self):
            return False
        return not owned_below(self, self._key)

    # -- the unexpected --------------------------------------------------------------

    def _secrets(self) -> list[str | None]:
        return [self.endpoint.secret, self.settings.secret]

    def _report_internal_error(self, error: BaseException) -> str:
        """The poller met an error no reply should cause: record it (once per kind of
        error, not at every poll), keep running."""
        key = f"{type(error).__name__}: {error}"
        if key not in self._internal_reports:
            path = write_crash_report(error, self.settings.data_dir, self._secrets())
            self._internal_reports[key] = str(path) if path else "not written"
        return self._internal_reports[key]

    def _handle_exception(self, error: Exception) -> None:
        self.crash_report = write_crash_report(error, self.settings.data_dir, self._secrets())
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's own would print a traceback with local variables (the secret among
        them): say in one line what happened and where the report is."""
        self.bell()
        where = (
            f"a report is in {self.crash_report}"
            if self.crash_report
            else "no report could be written"
        )
        error = self._exception
        what = f"{type(error).__name__}" if error else "an unexpected error"
        self.panic(Text(f"aria2-top stopped on an unexpected error ({what}): {where}"))

    async def on_unmount(self) -> None:
        await self.client.aclose()

    async def _listen(self) -> None:
        listener = NotificationListener(self.endpoint.url, ca_file=self.settings.ca_file)
        async for event in listener.events():
            if isinstance(event, Notification):
                self.poller.wake()
            elif isinstance(event, ListenerStatus):
                self._set_events_live(event.state is ConnectionState.CONNECTED)
                if event.state is ConnectionState.CONNECTED:
                    # aria2 never replays what happened while we were away.
                    self.poller.wake()

    def _set_events_live(self, live: bool) -> None:
        stats = self.stats_bar
        stats.link = replace(stats.link, events_live=live)
        stats.redraw()

    def _watch_link(self) -> None:
        """The clock of the bar: how old the data is, whether the rows are stale."""
        if not self.is_running:
            return
        stats = self.stats_bar
        stats.link = replace(
            stats.link,
            status=self.poller.status,
            last_reply_at=self.poller.last_reply_at,
            busy_since=self.poller.busy_since,
        )
        stats.redraw()
        self.table.set_class(stats.link.is_stale(time.monotonic()), "-stale")

    # -- data in -----------------------------------------------------------------------

    @on(SnapshotArrived)
    def _on_snapshot(self, message: SnapshotArrived) -> None:
        if not self.is_running:
            return  # shutting down: the widgets may already be gone
        self._announce(self.snapshot, message.snapshot)
        self.snapshot = message.snapshot
        present = {d.gid for d in message.snapshot.downloads}
        self.tagged &= present
        self.history.record(message.snapshot)
        stats = self.stats_bar
        stats.down_history = [down for down, _ in self.history.daemon]
        stats.stat = message.snapshot.stat
        stats.version = message.snapshot.version
        stats.problems = message.snapshot.problems
        follow = self.follow_mode or self._follows(message.snapshot)
        self._watch_link()
        # Say "no reply" the moment the data is two intervals old, not at the next
        # tick of the clock.
        if self._stale_timer is not None:
            self._stale_timer.stop()
        self._stale_timer = self.set_timer(stats.link.stale_after, self._watch_link)
        self.refresh_view(follow=follow)
        self._report_late_answers(message.snapshot)
        if self._pending_focus and self.table.focus_gid(self._pending_focus):
            self._pending_focus = None
        if self.details_open:
            self.fetch_details()

    @on(PollStatusChanged)
    def _on_poll_status(self, message: PollStatusChanged) -> None:
        self._watch_link()
        if self.snapshot is None:
            self.table.empty_text = self._empty_text(False)
        if message.status.state is PollState.RECONNECTING and self.endpoint.private is not None:
            self.run_worker(self._revive, group="revive", exclusive=True)  # type: ignore[arg-type]

    async def _revive(self) -> None:
        """The private daemon stopped answering: if it is gone, start it again (or join
        the one another aria2-top started); its session brings the downloads back."""
        try:
            changed = await self.endpoint.revive()
        except DaemonError as exc:
            self.notify(f"cannot restart the private aria2c: {exc}", severity="error")
            return
        if not changed:
            return
        self.client.retarget(self.endpoint.url, self.endpoint.secret)
        if self.listen:
            self.workers.cancel_group(self, "listener")
            self.run_worker(self._listen(), name="notifications", group="listener")
        self.poller.wake()
        self.notify("the private aria2c had stopped: it runs again, with its saved downloads")

    async def _save_session(self) -> None:
        """Save the private daemon's session now and then (aria2 itself only does on
        exit), so a crash of aria2c loses little."""
        private = self.endpoint.private
        if private is not None:
            with contextlib.suppress(Aria2Error, OSError):
                await private.daemon.save_session()

    def _announce(self, before: Snapshot | None, after: Snapshot) -> None:
        """Say which downloads finished or failed since the last snapshot (and ring the
        bell, if the config asks for it)."""
        finished, failed = finished_or_failed(before, after)
        for done in finished[:MAX_ANNOUNCED]:
            self.notify(f"finished: {safe_text(done.name)}", title="download", markup=False)
        for lost in failed[:MAX_ANNOUNCED]:
            why = describe_error(lost.error_code, lost.error_message)
            self.notify(
                f"failed: {safe_text(lost.name)}" + (f" ({safe_text(why)})" if why else ""),
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
            self.bell()

    def _follows(self, snapshot: Snapshot) -> bool:
        """Whether the cursor follows its download through this snapshot: it does for
        a download the user just acted on, until a poll sent after the action."""
        if self._follow is None:
            return False
        gid, ended = self._follow
        if ended and snapshot.asked_at > ended:
            self._follow = None
        return gid == self.table.focused_gid

    def refresh_view(self, *, follow: bool = True) -> None:
        """Re-derive the rows from the last snapshot and the view settings; ``follow``:
        the cursor stays on its download (see :meth:`DownloadsTable.show`)."""
        started = time.perf_counter()
        downloads = self.snapshot.downloads if self.snapshot else ()
        rows = sort_downloads(
            visible(downloads, self.view, self.filter_text), self.sort_column, self.sort_reverse
        )
        self.shown = rows
        self.table.set_view(self.view)
        self.table.set_sort(self.sort_column, self.sort_reverse)
        self.table.empty_text = self._empty_text(bool(downloads))
        self.table.show(rows, self.tagged, follow=follow)
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
        status = self.poller.status
        if self.snapshot is None:
            if status.state is PollState.AUTH_FAILED:
                return (
                    "Authentication failed: aria2 wants another RPC secret (--secret, "
                    "ARIA2_RPC_SECRET or secret in the config file)."
                )
            if status.state in (PollState.RECONNECTING, PollState.BAD_REPLY):
                return f"No downloads to show yet: {status.error or 'aria2 does not answer'}"
            return "Connecting…"
        if has_downloads:
            return f"No downloads match this view ({self.view.label})" + (
                f" and filter {self.filter_text!r}." if self.filter_text else "."
            )
        return "No downloads yet: press a to add one (URIs, magnet links, .torrent files)."

    # -- whom an action is for --------------------------------------------------------

    def shown_download(self, gid: str | None) -> Download | None:
        """The download ``gid`` if the table shows it (a scan: only on a key press)."""
        return next((d for d in self.shown if d.gid == gid), None)

    def focused_download(self) -> Download | None:
        return self.shown_download(self.table.focused_gid)

    def targets(self) -> list[Download]:
        """The tagged downloads, else the one under the cursor."""
        if self.tagged and self.snapshot is not None:
            return [d for d in self.snapshot.downloads if d.gid in self.tagged]
        focused = self.focused_download()
        return [focused] if focused is not None else []

    def _run_rpc(
        self,
        work: Callable[[], Awaitable[None]],
        what: str = "the change",
        targets: Sequence[Download] = (),
    ) -> None:
        """Run an RPC action in a worker; errors become notifications, never crashes.

        When aria2 does not answer in time, the action may still apply once it
        does: the user is told so now, and what the table then shows later.
        """

        focused = self.table.focused_gid
        if focused is not None and any(d.gid == focused for d in targets):
            self._follow = (focused, 0.0)

        async def guarded() -> None:
            slow = self.set_timer(
                SLOW_ANSWER,
                lambda: self.notify(f"waiting for aria2 to answer ({what})…", markup=False),
            )
            try:
                await work()
            except Aria2TimeoutError:
                self._unanswered.append(Unanswered(what, tuple(targets), time.monotonic()))
                self.notify(
                    f"no answer from aria2 yet: {what} may still apply; "
                    "you will be told what happened once it answers",
                    severity="warning",
                    markup=False,
                )
            except Aria2Error as exc:
                self.notify(safe_text(str(exc)), severity="error", markup=False)
            finally:
                slow.stop()
                if self._follow is not None and self._follow[1] == 0.0:
                    self._follow = (self._follow[0], time.monotonic())
                self.poller.wake()

        # A callable, not a coroutine object: a worker cancelled before it starts then
        # leaves no never-awaited coroutine behind. (Textual's WorkType wants
        # Coroutine[None, None, T], which no async def satisfies for mypy.)
        self.run_worker(guarded, group="rpc")  # type: ignore[arg-type]

    def _report_late_answers(self, snapshot: Snapshot) -> None:
        """Say what became of actions aria2 did not answer in time, from the first poll
        sent after giving up on them."""
        waiting, outcomes = [], []
        for late in self._unanswered:
            if late.gave_up_at < snapshot.asked_at:
                outcome = actions.late_outcome(late.what, late.targets, snapshot)
                if outcome not in outcomes:  # the same key pressed again in the stall
                    outcomes.append(outcome)
            else:
                waiting.append(late)
        self._unanswered = waiting
        for outcome in outcomes:
            self.notify(outcome, markup=False)

    def _report(self, result: actions.ActionResult, verb: str) -> None:
        """Say what failed, and (with a ``verb``) what was done."""
        for error in result.errors[:5]:
            self.notify(error, severity="error", markup=False)
        if len(result.errors) > 5:
            self.notify(f"… and {len(result.errors) - 5} more errors", severity="error")
        if result.done and verb:
            self.notify(f"{verb} {plural(len(result.done), 'download')}", markup=False)

    # -- actions: downloads ------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        targets = self.targets()

        async def work() -> None:
            result = await actions.toggle_pause(self.client, targets)
            self._report(result, "")
            said = [
                f"{verb} {plural(len(gids), 'download')}"
                for verb, gids in (("paused", result.paused), ("resumed", result.resumed))
                if gids
            ]
            if said:
                self.notify(" · ".join(said), markup=False)

        if targets:
            self._run_rpc(work, "pause/resume", targets)

    def action_toggle_pause_all(self) -> None:
        downloads = self.snapshot.downloads if self.snapshot else ()

        async def work() -> None:
            self.notify(await actions.toggle_pause_all(self.client, downloads), markup=False)

        self._run_rpc(work, "pause all/resume all")

    async def action_remove(self) -> None:
        targets = self.targets()
        if not targets:
            return
        body = Text()
        body.append(f"Remove {plural(len(targets), 'download')}?\n\n")
        for download in targets[:MAX_NAMES_IN_DIALOG]:
            body.append(f"  • {safe_text(download.name)}", style="bold")
            body.append(f"  ({download.status})\n", style="dim")
        if len(targets) > MAX_NAMES_IN_DIALOG:
            body.append(f"  … and {len(targets) - MAX_NAMES_IN_DIALOG} more\n")
        body.append("\nFiles on disk are kept.", style="dim")

        async def work() -> None:
            result = await actions.remove(self.client, targets)
            self.tagged -= set(result.done)
            self._report(result, "removed")

        def answered(yes: bool | None) -> None:
            if yes:
                self._run_rpc(work, "remove", targets)

        await self.push_screen(ConfirmScreen("Remove", body, "Remove"), answered)

    async def action_purge(self) -> None:
        downloads = self.snapshot.downloads if self.snapshot else ()
        stopped = [d for d in downloads if d.status in STOPPED]
        in_view = [d for d in self.shown if d.status in STOPPED]
        if not stopped:
            self.notify("no finished results to clear")
            return

        async def clear(which: str | None) -> None:
            if which == "view":
                result = await actions.remove(self.client, in_view)
                self._report(result, "cleared the results of")
            elif which == "all":
                await actions.purge(self.client)
                self.notify(f"cleared {plural(len(stopped), 'result')}")

        options = [("all", f"All {plural(len(stopped), 'result')} (finished, failed, removed)")]
        if in_view and len(in_view) != len(stopped):
            where = self.view.label + (f", filter {self.filter_text!r}" if self.filter_text else "")
            options.insert(0, ("view", f"The {len(in_view)} shown here ({where})"))
        note = Text("Forget results from the list. Files on disk are kept.", style="dim")

        def answered(which: str | None) -> None:
            if which is not None:
                self._run_rpc(lambda: clear(which), "clearing the results")

        await self.push_screen(
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

        async def work(where: str) -> None:
            result = await actions.retry(self.client, failed, top=where == "top")
            self._report(result, "retried")
            if result.new_gids:
                self._focus_when_shown(result.new_gids[0])

        def answered(where: str | None) -> None:
            if where is not None:
                self._run_rpc(lambda: work(where), "retry", failed)

        options = [("bottom", "At the bottom of the queue"), ("top", "At the top of the queue")]
        await self.push_screen(ChooseScreen("Retry", options, "bottom", note), answered)

    def action_move(self, how: str) -> None:
        targets = self.targets()

        async def work() -> None:
            result = await actions.move(self.client, targets, how)
            for error in result.errors[:3]:
                self.notify(error, severity="warning", markup=False)

        if targets:
            self._run_rpc(work, "the queue move", targets)

    def _focus_when_shown(self, gid: str) -> None:
        """Put the cursor on ``gid`` as soon as a snapshot brings it."""
        self._pending_focus = gid
        self.poller.wake()

    # -- actions: tagging and navigation -----------------------------------------------

    def action_tag(self) -> None:
        table = self.table
        gid = table.focused_gid
        if gid is None:
            return
        self.tagged ^= {gid}
        self.refresh_view()
        table.action_cursor_down()

    def action_untag_all(self) -> None:
        self.tagged.clear()
        self.refresh_view()

    def action_tag_all(self) -> None:
        """Tag every row of the view (the tags of other views stay)."""
        self.tagged |= {d.gid for d in self.shown}
        self.refresh_view()

    def action_invert_tags(self) -> None:
        """Tag the untagged rows of the view and untag the tagged ones."""
        self.tagged ^= {d.gid for d in self.shown}
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
        """The link's last error in full (the bar shows it cut to fit)."""
        error = self.poller.status.error
        if error:
            self.notify(safe_text(error), title="last error", severity="warning", markup=False)
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

    def action_invert_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refresh_view()

    def action_shift_sort(self, step: int) -> None:
        keys = [column.key for column in COLUMNS]
        self._sort_by(keys[(keys.index(self.sort_column) + step) % len(keys)])

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
            for c in COLUMNS
            if self.view in c.views
        ]
        await self.push_screen(ChooseScreen("Sort by", options, self.sort_column), chosen)

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
                table.focus_gid(download.gid)
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
        await self.push_screen(HelpScreen())

    # -- details pane ----------------------------------------------------------------------

    @property
    def details_open(self) -> bool:
        return self.details.has_class("-open")

    def action_open_details(self) -> None:
        download = self.focused_download()
        if download is None:
            return
        self.details.add_class("-open")
        self.details.show_gid(download.gid, download.name)
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
        if self.details_open and message.gid is not None:
            download = self.shown_download(message.gid)
            if download is not None:
                self.details.show_gid(download.gid, download.name)

    @on(DetailsPane.Changed)
    def _on_details_changed(self) -> None:
        if self.details_open:
            self.fetch_details()

    @on(DetailsPane.Jump)
    def _on_jump(self, message: DetailsPane.Jump) -> None:
        if self.table.focus_gid(message.gid) or self._show_everything_and_focus(message.gid):
            download = self.shown_download(message.gid)
            self.details.show_gid(message.gid, download.name if download else message.gid)
        else:
            self.notify(f"download {message.gid} is no longer known to aria2", severity="warning")

    def _show_everything_and_focus(self, gid: str) -> bool:
        self.view, self.filter_text = View.ALL, ""
        self.refresh_view()
        return self.table.focus_gid(gid)

    def fetch_details(self) -> None:
        """One multicall for the shown tab of the download in the pane (a worker)."""
        gid, tab = self.details.gid, self.details.tab
        if gid is None:
            return
        if tab is Tab.SPEED:
            self.details.show_speed(self.history.of(gid), self.settings.interval)
            return

        async def fetch() -> None:
            try:
                results = await self.client.multicall(calls_for(tab, gid))
            except Aria2Error:
                return  # the stats bar already says the daemon is unreachable
            self.details.apply(tab, gid, results)

        self.run_worker(fetch, group="details", exclusive=True)  # type: ignore[arg-type]

    @on(FilesTab.ApplySelection)
    def _on_apply_selection(self, message: FilesTab.ApplySelection) -> None:
        files_tab = self.details.query_one(FilesTab)

        async def work() -> None:
            await self.client.change_option(message.gid, {"select-file": message.value})
            files_tab.applied_now()
            self.notify(
                f"{message.count} files selected; aria2 restarts the download to apply it",
                markup=False,
            )
            self.fetch_details()

        self._run_rpc(work, "the file selection")

    @on(OptionsTab.EditOption)
    async def _on_edit_option(self, message: OptionsTab.EditOption) -> None:
        """Edit one option of a download (or of the daemon, gid None), then read it back:
        aria2 answers OK to changes it ignores."""
        is_limit = message.name.endswith("-limit")
        scope = "the daemon" if message.gid is None else "this download"

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
                lambda: self._set_option(message.gid, message.name, sent), f"setting {message.name}"
            )

        dialog = InputDialog(
            f"Set {message.name}", prompt, "" if message.secret else shown, validate, message.secret
        )
        await self.push_screen(dialog, answered)

    async def _set_option(self, gid: str | None, name: str, value: str) -> None:
        if gid is None:
            outcome = await set_global_options(self.client, {name: value})
            self._remember_global(outcome.taken)
        else:
            outcome = await set_download_option(self.client, gid, {name: value})
        self.notify(
            outcome.message(), severity="warning" if outcome.kept else "information", markup=False
        )
        if gid is None:
            if isinstance(self.screen, GlobalOptionsScreen):
                self.screen.reload()
        else:
            self.fetch_details()

    def _remember_global(self, taken: dict[str, str]) -> None:
        """Global options set on the private daemon survive its restart."""
        if taken and self.endpoint.private is not None:
            try:
                self.endpoint.private.remember_options(taken)
            except OSError as exc:
                self.notify(
                    f"could not save the options for the next start: {exc.strerror}",
                    severity="warning",
                    markup=False,
                )

    # -- adding, limits, global options ------------------------------------------------

    async def action_add(self) -> None:
        async def submit(
            items: Sequence[AddItem], options: dict[str, str], top: bool
        ) -> AddOutcome:
            outcome = await add_all(self.client, items, options, top=top)
            self.poller.wake()
            return outcome

        def added(gids: list[str] | None) -> None:
            if gids:
                count = len(gids)
                self.notify(f"added {plural(count, 'download')}", markup=False)
                self._focus_when_shown(gids[0])

        async def check(items: Sequence[AddItem], options: dict[str, str]) -> list[str]:
            return await existing_on_local_daemon(self.client, items, options)

        await self.push_screen(AddDialog(submit, check=check), added)

    async def action_global_limits(self) -> None:
        stat = self.snapshot.stat if self.snapshot else None
        dialog = LimitsDialog(
            "Global limits",
            "Overall speed limits of the daemon",
            (stat.down_limit or 0) if stat else 0,
            (stat.up_limit or 0) if stat else 0,
        )

        def answered(limits: Limits | None) -> None:
            if limits is not None:
                down, up = limits
                self._run_rpc(
                    lambda: self._set_global_limits(down or 0, up or 0), "the global limits"
                )

        await self.push_screen(dialog, answered)

    async def _set_global_limits(self, down: int, up: int) -> None:
        wanted = dict(zip(GLOBAL_LIMITS, (str(down), str(up)), strict=True))
        outcome = await set_global_options(self.client, wanted)
        self._remember_global(outcome.taken)
        if outcome.kept:
            self.notify(outcome.message(), severity="warning", markup=False)
        else:
            self.notify(f"global limits ↓ {limit_words(down)}  ↑ {limit_words(up)}")

    def action_step_limit(self, direction: int) -> None:
        stat = self.snapshot.stat if self.snapshot else None
        if stat is None or stat.down_limit is None or stat.up_limit is None:
            self.notify("the daemon's limits are not known yet", severity="warning")
            return
        wanted, up = step_limit(stat.down_limit, direction), stat.up_limit
        self._run_rpc(lambda: self._set_global_limits(wanted, up), "the global limits")

    def action_download_limits(self) -> None:
        targets = self.targets()
        if not targets:
            return

        async def ask() -> None:
            down, up = await shared_limits(self.client, targets)
            what = safe_text(targets[0].name) if len(targets) == 1 else f"{len(targets)} downloads"

            def answered(limits: Limits | None) -> None:
                if limits is not None:
                    self._run_rpc(
                        lambda: self._set_download_limits(targets, *limits), "the limits", targets
                    )

            self.push_screen(
                LimitsDialog("Download limits", f"Limits of {what}", down, up), answered
            )

        self._run_rpc(ask, "reading the limits")

    async def _set_download_limits(
        self, targets: list[Download], down: int | None, up: int | None
    ) -> None:
        result = await set_download_limits(self.client, targets, down, up)
        for error in result.errors[:3]:
            self.notify(error, severity="error", markup=False)
        if result.done:
            count = len(result.done)
            self.notify(
                f"limits of {plural(count, 'download')}: "
                f"↓ {limit_words(down)}  ↑ {limit_words(up)}",
                markup=False,
            )

    async def action_global_options(self) -> None:
        await self.push_screen(GlobalOptionsScreen(self.client.get_global_option))

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in palette_entries():
            yield SystemCommand(
                spec.description,
                f"key: {spec.shown_keys or spec.keys}",
                partial(self.run_action, spec.action),
            )
