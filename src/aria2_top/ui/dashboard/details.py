"""The details pane's side of the dashboard: open it, follow the cursor, apply a file
selection, edit an option (read back after)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on

from aria2_top.live.session import DaemonSession
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import DownloadKey
from aria2_top.model.query import View
from aria2_top.model.units import UnitError, format_bytes, parse_bytes
from aria2_top.ops.download_options import set_download_option, set_global_options
from aria2_top.ui.dashboard.routing import DaemonRouting
from aria2_top.ui.screens.global_options import GlobalOptionsScreen
from aria2_top.ui.screens.input_dialog import InputDialog
from aria2_top.ui.widgets.details.files import FilesTab
from aria2_top.ui.widgets.details.options import OptionsTab
from aria2_top.ui.widgets.details.pane import DetailsPane
from aria2_top.ui.widgets.downloads_table import DownloadsTable


class DetailsActions(DaemonRouting):
    """Enter, and what the pane asks for."""

    def action_open_details(self) -> None:
        download = self.focused_download()
        if download is None:
            return
        self.details.add_class("-open")
        self.details.show_download(download.key, download.name)
        self.details.focus_tab()
        self.fetch_details()

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

    @on(FilesTab.ApplySelection)
    def _on_apply_selection(self, message: FilesTab.ApplySelection) -> None:
        files_tab = self.details.query_one(FilesTab)
        session = self._by_name.get(message.key.daemon)
        if session is None:
            return
        download = next((d for d in self.downloads if d.key == message.key), None)
        said = refusal(Action.FILES, download) if download is not None else None
        if said or not message.count:
            self.notify(said or "select at least one file", severity="warning")
            return

        async def work() -> None:
            await session.client.change_option(message.key.gid, {"select-file": message.value})
            files_tab.applied_now()
            self.notify(
                f"{message.count} files selected; aria2 restarts the download to apply it",
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
                )
