"""The keys that change what the table shows: the cursor, the views and hosts, the
sort, search and filter (the prompt), follow mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aria2_top.model.columns import first_direction, sortable
from aria2_top.model.query import HOST_PREFIX, View, name_test, split_filter
from aria2_top.ui.focus import focus_now
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.widgets.prompt import PromptMode

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class ViewCommands:
    """The cursor, views and hosts, sorting, search and filter."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self.search_text = ""
        self._search_origin = 0
        """The cursor's row when the search began: a failed search goes back there."""

    def cursor(self, where: str) -> None:
        table = self._screen.table
        moves = {
            "down": table.action_cursor_down,
            "up": table.action_cursor_up,
            "top": table.action_first,
            "bottom": table.action_last,
            "page_up": table.action_page_up,
            "page_down": table.action_page_down,
        }
        move = moves.get(where)
        if move is not None:
            move()

    def toggle_follow(self) -> None:
        screen = self._screen
        screen.cursor.toggle_mode()
        screen.notify(
            "follow: the cursor follows its download"
            if screen.cursor.follow_mode
            else "follow off: the cursor keeps its line"
        )
        screen.refresh_view()

    def cycle_view(self, step: int) -> None:
        self._screen.view = self._screen.view.next(step)

    def set_view(self, index: int) -> None:
        self._screen.view = list(View)[index]

    def cycle_host(self) -> None:
        """H: show one daemon's downloads, then the next's, then all (as the filter
        ``host:NAME``, with the rest of the filter kept)."""
        screen = self._screen
        if not screen.fleet:
            screen.notify("one daemon only: H shows one daemon at a time with several")
            return
        text, hosts = split_filter(screen.filter_text)
        names = [s.name for s in screen.sessions]
        current = next((n for n in names if hosts and n.casefold() == hosts[0]), None)
        following = names[0] if current is None else None
        if current is not None and names.index(current) + 1 < len(names):
            following = names[names.index(current) + 1]
        host = f"{HOST_PREFIX}{following}" if following is not None else ""
        screen.filter_text = " ".join(part for part in (host, text) if part)

    # -- sorting ---------------------------------------------------------------------------

    def invert_sort(self) -> None:
        self._screen.sort_reverse = not self._screen.sort_reverse

    def shift_sort(self, step: int) -> None:
        screen = self._screen
        keys = [column.key for column in screen.table.shown_columns] or ["pos"]
        current = keys.index(screen.sort_column) if screen.sort_column in keys else 0
        self.sort_by(keys[(current + step) % len(keys)])

    def sort_by(self, column: str) -> None:
        """Sort by ``column`` in its first direction: largest first for numbers."""
        with self._screen.one_refresh():
            self._screen.sort_column = column
            self._screen.sort_reverse = first_direction(column)

    async def choose_sort(self) -> None:
        screen = self._screen

        def chosen(key: str | None) -> None:
            if key is not None:
                self.sort_by(key)

        options = [
            (c.key, "Queue order (#)" if c.key == "pos" else c.label)
            for c in sortable(screen.view, screen.fleet, screen.table_setup.columns)
        ]
        await screen.app.push_screen(ChooseScreen("Sort by", options, screen.sort_column), chosen)

    def header_clicked(self, column: str) -> None:
        """A click on a header sorts by it; on the sorted one, the other way."""
        if column == self._screen.sort_column:
            self.invert_sort()
        else:
            self.sort_by(column)

    # -- search and filter ---------------------------------------------------------------

    def search(self) -> None:
        self._search_origin = self._screen.table.cursor_row
        self._open_prompt(PromptMode.SEARCH, self.search_text)

    def filter(self) -> None:
        self._open_prompt(PromptMode.FILTER, self._screen.filter_text)

    def _open_prompt(self, mode: PromptMode, value: str) -> None:
        screen = self._screen
        screen.prompt.open(mode, value)
        screen.table.covered_rows = 1  # the prompt lies over the table's last line

    def next_match(self, step: int) -> None:
        if not self.search_text:
            self.search()
            return
        if not self._jump_to_match(self.search_text, step, skip_current=True):
            self._screen.notify(f"no match for {self.search_text!r}", severity="warning")

    def _jump_to_match(
        self, needle: str, step: int, *, skip_current: bool, start: int | None = None
    ) -> bool:
        """Put the cursor on the next match from ``start`` (default: the cursor)."""
        table, shown = self._screen.table, self._screen.shown
        count = len(shown)
        if not count or not needle:
            return False
        start = max(0, table.cursor_row if start is None else start)
        test = name_test(needle)
        for offset in range(1 if skip_current else 0, count + 1):
            download = shown[(start + step * offset) % count]
            if test(download):
                table.focus_key(download.key)
                return True
        return False

    def leave(self) -> None:
        """Esc: clear the filter; with none, close the details pane."""
        screen = self._screen
        if screen.filter_text:
            screen.filter_text = ""
        elif screen.details_fetcher.is_open:
            screen.details_fetcher.close()

    def prompt_changed(self, value: str) -> None:
        """Each key typed: filter as you type, or search from where the search began."""
        screen = self._screen
        prompt = screen.prompt
        if prompt.mode is PromptMode.FILTER:
            screen.filter_text = value
            return
        self.search_text = value
        origin = self._search_origin
        found = self._jump_to_match(value, 1, skip_current=False, start=origin)
        if not found:  # a failed search leaves the cursor where it started
            screen.table.move_cursor(origin)
        prompt.set_class(bool(value) and not found, "-no-match")

    def prompt_submitted(self) -> None:
        prompt = self._screen.prompt
        if prompt.mode is PromptMode.SEARCH and prompt.has_class("-no-match"):
            self._screen.notify(f"no match for {self.search_text!r}", severity="warning")
        self._close_prompt()

    def prompt_cancelled(self, mode: PromptMode) -> None:
        if mode is PromptMode.FILTER:
            self._screen.filter_text = ""
        self._close_prompt()

    def _close_prompt(self) -> None:
        screen = self._screen
        prompt = screen.prompt
        prompt.display = False
        prompt.remove_class("-no-match")
        screen.table.covered_rows = 0
        focus_now(screen.table)
