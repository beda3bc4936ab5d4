"""F2, as in htop: the table's columns (which, in what order, how wide), the sort and
view it starts with, and the theme. Every change shows at once; closing the screen
saves them to the config file (see :mod:`aria2_top.config.writer`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option

from aria2_top.config.table_setup import MAX_COLUMN_WIDTH, TableSetup
from aria2_top.model.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    DEFAULT_LAYOUT,
    SIZED_BY_THE_TABLE,
    Column,
    column_width,
)
from aria2_top.model.query import View
from aria2_top.ui.focus import focus_now

Apply = Callable[[TableSetup, str], None]
"""Called with the setup and the theme's name at every change."""

HELP = (
    "Space shows or hides a column · [ ] (or Shift+↑ ↓) move it · + - its width · "
    "Tab: the other settings · Esc saves and closes"
)


def column_order(setup: TableSetup) -> list[str]:
    """The shown columns in their order, then the others in the app's order."""
    return [*setup.columns, *(c.key for c in COLUMNS if c.key not in setup.columns)]


def width_text(column: Column, widths: dict[str, int]) -> str:
    if column.key == "name":
        return "rest"
    if column.key == "pos" or (column.key == "host" and "host" not in widths):
        return "auto"
    return str(column_width(column, widths))  # what the table gives it


class ColumnList(OptionList):
    """The columns, each with its mark, width and a few words on it."""

    BINDINGS = [
        Binding("space,enter", "screen.toggle_column", "Show/hide", id="aria2-top.setup.toggle"),
        Binding(
            "left_square_bracket,shift+up", "screen.move(-1)", "Move up", id="aria2-top.setup.up"
        ),
        Binding(
            "right_square_bracket,shift+down",
            "screen.move(1)",
            "Move down",
            id="aria2-top.setup.down",
        ),
        Binding("plus,equals_sign,right", "screen.widen(1)", "Wider", id="aria2-top.setup.wider"),
        Binding("minus,left", "screen.widen(-1)", "Narrower", id="aria2-top.setup.narrower"),
        Binding("j", "cursor_down", "Down", show=False, id="aria2-top.setup.cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="aria2-top.setup.cursor-up"),
    ]


class SetupScreen(ModalScreen[None]):
    """``apply`` is called with the new setup and theme at each change; ``save`` when
    the screen closes after a change (it says where, or why not); ``on_screen`` gives
    the columns the table has room for (the others chosen are marked)."""

    BINDINGS = [
        Binding("escape,f2,f10", "close", "Save and close", id="aria2-top.setup.close"),
    ]

    def __init__(
        self,
        setup: TableSetup,
        theme: str,
        themes: list[str],
        *,
        fleet: bool,
        apply: Apply,
        save: Apply,
        on_screen: Callable[[], set[str]] = set,
    ) -> None:
        super().__init__()
        self.setup = setup
        self.theme_name = theme
        self.themes = themes
        self.fleet = fleet
        self._apply = apply
        self._save = save
        self._changed = False
        self._order = column_order(setup)
        self._on_screen = on_screen

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Setup"
            dialog.border_subtitle = "Esc saves and closes"
            with Horizontal(id="setup-body"):
                with Vertical(id="setup-columns"):
                    yield Label("Columns", classes="setup-heading")
                    yield ColumnList(*self._options(), id="setup-column-list")
                with VerticalScroll(id="setup-defaults", can_focus=False):
                    yield Label("Sort by", classes="setup-heading")
                    yield Select(
                        self._sort_options(),
                        value=self.setup.sort,
                        allow_blank=False,
                        id="setup-sort",
                    )
                    with Horizontal(classes="setup-switch"):
                        yield Switch(self.setup.reverse, id="setup-reverse")
                        yield Label("largest / last first")
                    yield Label("View at start", classes="setup-heading")
                    yield Select(
                        [(view.label, view.label) for view in View],
                        value=self.setup.view.label,
                        allow_blank=False,
                        id="setup-view",
                    )
                    yield Label("Theme", classes="setup-heading")
                    yield Select(
                        [(name, name) for name in self.themes],
                        value=self.theme_name,
                        allow_blank=False,
                        id="setup-theme",
                    )
                    yield Button("Default columns", id="setup-reset")
            yield Static(HELP, id="setup-help", markup=False)

    def on_mount(self) -> None:
        column_list = self.query_one(ColumnList)
        column_list.highlighted = 0
        focus_now(column_list)

    # -- the column list -----------------------------------------------------------------

    def _options(self) -> list[Option]:
        widths = dict(self.setup.widths)
        on_screen = self._on_screen()
        options = []
        for key in self._order:
            column = COLUMN_BY_KEY[key]
            shown = key in self.setup.columns
            text = Text("[x] " if shown else "[ ] ", style="bold" if shown else "dim")
            text.no_wrap, text.overflow = True, "ellipsis"
            text.append(f"{self._label(column):<10}", style="" if shown else "dim")
            text.append(f"{width_text(column, widths):>5}  ", style="dim")
            note = ""
            if shown and column.fleet and not self.fleet:
                note = "several daemons only"
            elif shown and on_screen and key not in on_screen:
                note = "no room now"
            if note:
                text.append(note + (" · " if column.about else ""), style="italic")
            text.append(column.about, style="dim")
            options.append(Option(text, id=key))
        return options

    @staticmethod
    def _label(column: Column) -> str:
        return "# (queue)" if column.key == "pos" else column.label

    def _redraw(self, key: str) -> None:
        """The list again, the cursor on ``key``."""
        column_list = self.query_one(ColumnList)
        column_list.clear_options()
        column_list.add_options(self._options())
        column_list.highlighted = self._order.index(key)

    def _highlighted(self) -> str | None:
        column_list = self.query_one(ColumnList)
        index = column_list.highlighted
        return None if index is None else self._order[index]

    def action_toggle_column(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        if key == "name":
            self.notify("the name column always shows", severity="warning")
            return
        columns = list(self.setup.columns)
        if key in columns:
            columns.remove(key)
        else:  # shown again where it stands in the list
            index = self._order.index(key)
            before = [k for k in self._order[:index] if k in columns]
            columns.insert(columns.index(before[-1]) + 1 if before else 0, key)
        if key == "host" and not self.fleet and key in columns:
            self.notify("the host column shows with several daemons only")
        self._change(replace(self.setup, columns=tuple(columns)), key)

    def action_move(self, step: int) -> None:
        key = self._highlighted()
        if key is None:
            return
        index = self._order.index(key)
        other = index + step
        if not 0 <= other < len(self._order):
            return
        self._order[index], self._order[other] = self._order[other], self._order[index]
        columns = tuple(k for k in self._order if k in self.setup.columns)
        self._change(replace(self.setup, columns=columns), key)

    def action_widen(self, step: int) -> None:
        key = self._highlighted()
        if key is None:
            return
        if key in SIZED_BY_THE_TABLE:
            self.notify(
                "the name takes the rest of the line"
                if key == "name"
                else "the # column grows with the queue"
            )
            return
        widths = dict(self.setup.widths)
        column = COLUMN_BY_KEY[key]
        now = column_width(column, widths)
        floor = column_width(column, {key: 1})  # its header and the sort marker
        width = max(floor, min(MAX_COLUMN_WIDTH, now + step))
        if width == now:
            self.notify(
                f"{column.label}: {width} cells is as narrow as its header allows"
                if step < 0
                else f"{column.label}: {width} cells is the widest"
            )
            return
        if width == column_width(column, {}):
            widths.pop(key, None)
        else:
            widths[key] = width
        self._change(replace(self.setup, widths=tuple(widths.items())), key)

    # -- the other settings --------------------------------------------------------------

    def _sort_options(self) -> list[tuple[str, str]]:
        return [
            ("Queue order (#)" if c.key == "pos" else c.label, c.key)
            for c in COLUMNS
            if not c.fleet or self.fleet
        ]

    @on(Select.Changed, "#setup-sort")
    def _on_sort(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.setup.sort:
            self._change(replace(self.setup, sort=event.value))

    @on(Switch.Changed, "#setup-reverse")
    def _on_reverse(self, event: Switch.Changed) -> None:
        if event.value != self.setup.reverse:
            self._change(replace(self.setup, reverse=event.value))

    @on(Select.Changed, "#setup-view")
    def _on_view(self, event: Select.Changed) -> None:
        view = next((v for v in View if v.label == event.value), None)
        if view is not None and view is not self.setup.view:
            self._change(replace(self.setup, view=view))

    @on(Select.Changed, "#setup-theme")
    def _on_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.theme_name:
            self.theme_name = event.value
            self._change(self.setup)

    @on(Button.Pressed, "#setup-reset")
    def _on_reset(self) -> None:
        self._order = column_order(TableSetup())
        self._change(replace(self.setup, columns=DEFAULT_LAYOUT, widths=()), self._order[0])

    def _change(self, setup: TableSetup, redraw: str | None = None) -> None:
        self.setup = setup
        self._changed = True
        self._apply(setup, self.theme_name)
        if redraw is not None:
            self._redraw(redraw)

    def action_close(self) -> None:
        if self._changed:
            self._save(self.setup, self.theme_name)
        self.dismiss(None)
