"""The keys that change what the table shows (tags, cursor, views, hosts, sort,
search and filter), and the screens that tell more: help, events, debug info."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from aria2_top.config.errors import ConfigError
from aria2_top.config.table_setup import TableSetup
from aria2_top.config.writer import save_setup
from aria2_top.diagnostics.debug_log import active_log_path
from aria2_top.model.columns import first_direction, sortable
from aria2_top.model.format import safe_text
from aria2_top.model.query import HOST_PREFIX, View, name_test, split_filter
from aria2_top.ui.dashboard.base import DashboardBase
from aria2_top.ui.debug_report import DebugInfo, collect_debug_info
from aria2_top.ui.focus import focus_now
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.debug_info import DebugInfoScreen, devtools_state
from aria2_top.ui.screens.events import EventsScreen
from aria2_top.ui.screens.help import HelpScreen
from aria2_top.ui.screens.setup import SetupScreen
from aria2_top.ui.widgets.downloads_table import DownloadsTable
from aria2_top.ui.widgets.prompt import Prompt, PromptMode


class ViewActions(DashboardBase):
    """Tags, follow, the cursor, views and hosts, sorting, search and filter; help,
    the event log and the debug info."""

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

    def action_events(self) -> None:
        """The event log, under each daemon's last link error in full (the bar shows
        it cut to fit)."""

        def errors() -> list[str]:
            return [
                self._where(s.name) + safe_text(s.status.error)
                for s in self.sessions
                if s.status.error
            ]

        self.app.push_screen(EventsScreen(self.events.newest_first, errors, self.fleet))

    def action_debug_info(self) -> None:
        """Versions, files, each daemon's links and the poller's timings (F12)."""

        def collect() -> DebugInfo:
            return collect_debug_info(
                self.sessions,
                self.settings,
                active_log_path(),
                devtools=devtools_state(self.app),
                history=self.app.download_history.state,
            )

        self.app.push_screen(DebugInfoScreen(collect))

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
        keys = [column.key for column in self.table.shown_columns] or ["pos"]
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
            for c in sortable(self.view, self.fleet, self.table_setup.columns)
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
            self.notify(f"no match for {self.search_text!r}", severity="warning")

    def _jump_to_match(
        self, needle: str, step: int, *, skip_current: bool, start: int | None = None
    ) -> bool:
        """Put the cursor on the next match from ``start`` (default: the cursor)."""
        table = self.table
        count = len(self.shown)
        if not count or not needle:
            return False
        start = max(0, table.cursor_row if start is None else start)
        test = name_test(needle)
        for offset in range(1 if skip_current else 0, count + 1):
            download = self.shown[(start + step * offset) % count]
            if test(download):
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
            self.notify(f"no match for {self.search_text!r}", severity="warning")
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

    def action_setup(self) -> None:
        """F2: columns, sort and view at start, theme; saved when the screen closes."""
        themes = sorted(self.app.available_themes)
        self.app.push_screen(
            SetupScreen(
                self.table_setup,
                self.app.theme,
                themes,
                fleet=self.fleet,
                apply=self._apply_setup,
                save=self._save_setup,
                on_screen=lambda: {column.key for column in self.table.shown_columns},
            )
        )

    def _apply_setup(self, setup: TableSetup, theme: str) -> None:
        before = self.table_setup
        if (setup.sort, setup.reverse) != (before.sort, before.reverse):
            self.sort_column, self.sort_reverse = setup.sort, setup.reverse
        if setup.view is not before.view:
            self.view = setup.view
        self.table_setup = setup
        self.use_layout()
        if theme != self.app.theme:
            self.app.theme = theme
        self.refresh_view()

    def _save_setup(self, setup: TableSetup, theme: str) -> None:
        path = self.settings.config_path
        try:
            save_setup(path, setup, theme)
        except ConfigError as exc:
            self.notify(f"setup not saved: {exc}", severity="error")
        else:
            self.app.saved_theme = theme
            self.notify(f"setup saved in {path}")

    async def action_help(self) -> None:
        await self.app.push_screen(HelpScreen(self.app.keymap))
