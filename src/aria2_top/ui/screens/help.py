"""F1 / ?: every key, grouped, made from the same table as the bindings.

The groups are laid out in the number of columns (one to three) that makes the
list shortest at the screen's width; when it does not fit, the border says which
way it scrolls.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aria2_top.ui.keys import ID_PREFIX, KEYS, binding_id, help_lines, key_display
from aria2_top.ui.tones import tone

FRAME_CELLS = 6
"""Cells of the dialog's border, padding and scrollbar."""

EXTRA_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Details pane",
        (
            ("1–7", "Overview Files Peers Servers Pieces Options Speed"),
            ("↑ ↓ PgUp PgDn", "Move the table"),
            ("j k", "Move the table from Files"),
            ("Space A R", "Files: select, apply, revert"),
            ("Enter d u", "Options: edit, ↓ limit, ↑ limit"),
            ("Tab", "Options: filter → list"),
            ("J K", "Overview: follow-up chain"),
            ("Ctrl+R", "Show / hide passwords"),
            ("Esc", "Close the pane"),
        ),
    ),
    (
        "Several daemons",
        (
            ("● ◌ ○ ✖", "Answers, silent, connecting, down"),
            ("secret?", "It refuses the RPC secret"),
            ("host:NAME", "In the filter: one daemon"),
        ),
    ),
    (
        "Mouse",
        (
            ("Click a row", "Put the cursor on it"),
            ("Click a header", "Sort by that column"),
        ),
    ),
)


def help_groups(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(keys, words)]) in reading order: the key table's, then the pane's;
    with a ``keymap``, the commands where it moved them, and its other keys."""
    keymap = keymap or {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, keys, words in help_lines(keymap):
        groups.setdefault(group, []).append((keys, words))
    groups["General"].append(("Ctrl+P", "Command palette"))
    result = list(groups.items())
    result += [(name, list(lines)) for name, lines in EXTRA_GROUPS]
    commands = {binding_id(spec) for spec in KEYS}
    others = [
        (key_display(keys), name.removeprefix(ID_PREFIX))
        for name, keys in sorted(keymap.items())
        if name not in commands
    ]
    if others:
        result.append(("Moved by your [keymap]", others))
    return result


def _column(groups: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style=tone("bold note"), no_wrap=True)
    table.add_column()
    for index, (group, lines) in enumerate(groups):
        if index:
            table.add_row("", "")
        table.add_row(Text(group, style="bold underline"), "")
        for keys, words in lines:
            table.add_row(Text(keys), Text(words))
    return table


def help_table(columns: int = 3, keymap: Mapping[str, str] | None = None) -> Group:
    """Every key and what it does (after the ``keymap``), the groups spread over
    ``columns`` columns of about the same height, then a note across them all."""
    groups = help_groups(keymap)
    heights = [len(lines) + 2 for _, lines in groups]
    target = sum(heights) / columns
    spread: list[list[tuple[str, list[tuple[str, str]]]]] = [[]]
    used = 0
    for group, height in zip(groups, heights, strict=True):
        if spread[-1] and used + height / 2 > target and len(spread) < columns:
            spread.append([])
            used = 0
        spread[-1].append(group)
        used += height
    outer = Table.grid(padding=(0, 3), expand=True)
    for _ in spread:
        outer.add_column(ratio=1)
    outer.add_row(*(_column(part) for part in spread))
    note = Text("Actions apply to the tagged rows, else to the row under the cursor.", style="dim")
    return Group(outer, Text(), note)


def help_columns(width: int, keymap: Mapping[str, str] | None = None) -> int:
    """How many columns of groups make the help shortest in ``width`` cells (fewer
    when a line would wrap as much as the extra column saves)."""
    console = Console(width=max(width, 20), color_system=None, legacy_windows=False)

    def height(columns: int) -> int:
        return len(console.render_lines(help_table(columns, keymap), pad=False))

    return min(range(1, 4), key=lambda columns: (height(columns), columns))


class HelpScreen(ModalScreen[None]):
    """The list of keys; any of Esc, q, F1 or ? closes it."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss(None)", "Close", id="aria2-top.help.close")
    ]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        """``keymap``: the keys the user moved (the help shows them where they are)."""
        super().__init__()
        self.keymap = keymap
        self._width = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = "aria2-top keys"
            dialog.border_subtitle = "Esc to close"
            yield Static(help_table(keymap=self.keymap), markup=False)

    def on_mount(self) -> None:
        dialog = self.query_one("#dialog", VerticalScroll)
        self.watch(dialog, "scroll_y", lambda _y: self._say_if_it_scrolls(), init=False)

    def on_resize(self) -> None:
        width = self.size.width - FRAME_CELLS
        if width != self._width:
            self._width = width
            columns = help_columns(width, self.keymap)
            self.query_one(Static).update(help_table(columns, self.keymap))
        self.call_after_refresh(self._say_if_it_scrolls)

    def _say_if_it_scrolls(self) -> None:
        dialog = self.query_one("#dialog", VerticalScroll)
        dialog.border_subtitle = scroll_hint(round(dialog.scroll_y), dialog.max_scroll_y)


def scroll_hint(top: int, last: int) -> str:
    """The border's words for a list scrolled to ``top`` of ``0..last``."""
    if last <= 0:
        return "Esc to close"
    if top <= 0:
        return "↓ PgDn End: more below · Esc to close"
    if top >= last:
        return "↑ PgUp Home: more above · Esc to close"
    return "↑ ↓ PgUp PgDn: more above and below · Esc to close"
