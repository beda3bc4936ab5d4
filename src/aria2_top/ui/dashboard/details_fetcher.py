"""The details fetcher: the details pane opens on the download under the cursor,
follows the cursor, and is filled by one multicall per shown tab (in a worker, the
last asked wins); a jump to a download it names, and a file selection it applies."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.live.tab_fetch import fetch_tab
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import RUNNING, Download, DownloadKey
from aria2_top.model.tabs import Tab
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.app_handle import app_of
from aria2_top.ui.focus import focus_now
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class DetailsFetcher:
    """What the details pane shows, and when it asks aria2 for it."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    @property
    def is_open(self) -> bool:
        return self._screen.details.has_class("-open")

    def open(self, download: Download) -> None:
        pane = self._screen.details
        pane.add_class("-open")
        pane.show_download(download.key, download.name)
        pane.focus_tab()
        self._screen.refresh_bindings()  # the footer's Enter steps aside for the pane's Esc
        self.fetch()

    def close(self) -> None:
        self._screen.details.remove_class("-open")
        self._screen.refresh_bindings()
        focus_now(self._screen.table)

    def cursor_moved(self, key: DownloadKey | None) -> None:
        """The pane shows the download under the cursor."""
        if self.is_open and key is not None:
            download = self._screen.shown_download(key)
            if download is not None:
                self._screen.details.show_download(download.key, download.name)

    def fetch(self) -> None:
        """One multicall for the shown tab of the download in the pane (a worker)."""
        screen = self._screen
        pane = screen.details
        key, tab = pane.key, pane.tab
        session = screen.session_named(key.daemon) if key is not None else None
        if key is None or session is None:
            return
        if tab is Tab.SPEED:
            pane.show_speed(session.history.of(key), screen.settings.interval)
            return
        together = screen.group_options.tagged() if tab is Tab.OPTIONS else []
        if together:
            screen.group_options.fetch(together)
            return
        if pane.group:
            pane.show_group_options((), {})
        pane.show_known()
        in_worker(screen, partial(self._fetch_tab, session, key, tab), "details", exclusive=True)

    async def _fetch_tab(self, session: DaemonSession, key: DownloadKey, tab: Tab) -> None:
        pane = self._screen.details
        try:
            results = await fetch_tab(session.client, tab, key.gid)
        except Aria2Error as exc:
            pane.unavailable(tab, f"{session.name} does not answer: {exc}")
            return
        carried = app_of(self._screen).download_history.carried_upload(key)
        pane.apply(tab, key, results, carried)  # a download added again: model/lineage.py

    def jump(self, gid: str) -> None:
        """To the download ``gid`` of the pane's daemon (a torrent's metadata names the
        download that follows it): every download is shown if the view hides it."""
        screen = self._screen
        shown = screen.details.key
        if shown is None:
            return
        key = DownloadKey(shown.daemon, gid)
        if not screen.table.focus_key(key):
            screen.show_everything()
            if not screen.table.focus_key(key):
                screen.notify(f"download {gid} is no longer known to aria2", severity="warning")
                return
        download = screen.shown_download(key)
        screen.details.show_download(key, download.name if download else gid)

    def apply_selection(self, message: FilesTab.ApplySelection) -> None:
        """The files chosen in the files tab: aria2 downloads only those."""
        screen = self._screen
        files_tab = screen.details.query_one(FilesTab)
        session = screen.session_named(message.key.daemon)
        if session is None:
            return
        download = next((d for d in screen.downloads if d.key == message.key), None)
        said = refusal(Action.FILES, download) if download is not None else None
        if said or not message.count:
            screen.notify(said or "select at least one file", severity="warning")
            return

        async def work() -> None:
            await session.client.change_option(message.key.gid, {"select-file": message.value})
            if download is not None and download.status in RUNNING:
                screen.selection_waits.watch(message.key, message.value)  # aria2 restarts it
            files_tab.applied_now()
            screen.notify(
                f"{message.count} files selected; aria2 restarts the download to apply it",
            )
            self.fetch()

        screen.runner.run(work, "the file selection", session=session)
