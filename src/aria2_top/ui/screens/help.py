"""F1 / ?: every key, grouped, made from the same table as the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aria2_top.ui.keys import help_lines

TWO_COLUMN_WIDTH = 110
DETAILS_KEYS = (
    ("1–7", "Overview Files Peers Servers Pieces Options Speed"),
    ("Space / A / R", "Files: select or unselect / apply / revert"),
    ("Enter, d, u", "Options: edit the row, ↓ limit, ↑ limit"),
    ("J / K", "Overview: jump along the follow-up chain"),
    ("Ctrl+R", "Show / hide passwords (masked as ••••)"),
    ("Esc", "Close the pane"),
)
LEFT_GROUPS = ("General", "Navigation", "Tagging", "Downloads", "Limits", "Queue")


def _group_table(groups: tuple[str, ...] | None) -> Table:
    """Keys of ``groups`` (None: every other group), with group headings."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    group = ""
    for line_group, keys, words in help_lines():
        if (line_group in LEFT_GROUPS) != (groups is not None):
            continue
        if line_group != group:
            if group:
                table.add_row("", "")
            group = line_group
            table.add_row(Text(group, style="bold underline"), "")
        table.add_row(Text(keys), Text(words))
    return table


def help_table(two_columns: bool = True) -> Table:
    """Every key and what it does, in two columns of groups (or one, when narrow)."""
    extra = _group_table(None)
    extra.add_row("", "")
    extra.add_row(Text("Details pane", style="bold underline"), "")
    for keys, words in DETAILS_KEYS:
        extra.add_row(Text(keys), Text(words))
    extra.add_row("", "")
    extra.add_row(Text("Mouse", style="bold underline"), "")
    extra.add_row(Text("Ctrl+P"), Text("Command palette: every action by name"))
    extra.add_row(Text("Click header"), Text("Sort by that column"))
    note = Text("Actions apply to the tagged rows, else to the row under the cursor.", style="dim")
    outer = Table.grid(padding=(0, 3), expand=True)
    if two_columns:
        outer.add_column(ratio=1)
        outer.add_column(ratio=1)
        outer.add_row(_group_table(LEFT_GROUPS), extra)
        outer.add_row("", "")
        outer.add_row(note, "")
    else:
        outer.add_row(_group_table(LEFT_GROUPS))
        outer.add_row("")
        outer.add_row(extra)
        outer.add_row("")
        outer.add_row(note)
    return outer


class HelpScreen(ModalScreen[None]):
    """The list of keys; any of Esc, q, F1 or ? closes it."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = "aria2-top keys"
            dialog.border_subtitle = "Esc to close"
            yield Static(help_table(), markup=False)

    def on_resize(self) -> None:
        self.query_one(Static).update(help_table(two_columns=self.size.width >= TWO_COLUMN_WIDTH))
