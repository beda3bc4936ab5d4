"""Options tab: the download's options as a fuzzy finder: typing filters, ↑/↓ pick,
Enter edits — from the filter too. The filter owns the keyboard: no letter typed
there reaches an app key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from aria2_top.model import format as fmt
from aria2_top.model.downloads import DownloadKey
from aria2_top.model.masking import is_secret_option
from aria2_top.ops.download_options import DOWNLOAD_LIMITS, shown_value
from aria2_top.ui.focus import StepsAsideForText, focus_now
from aria2_top.ui.widgets.ordered_input import OrderedInput


class FilterBox(OrderedInput):
    """The filter of a list: it types as an Input; ↑ ↓ PgUp PgDn move the list."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="aria2-top.options.up"),
        Binding("down", "move(1)", "Down", show=False, id="aria2-top.options.down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="aria2-top.options.page-up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="aria2-top.options.page-down"),
    ]

    class Move(Message):
        """Move the list's cursor by ``rows``."""

        def __init__(self, rows: int) -> None:
            super().__init__()
            self.rows = rows

    def action_move(self, rows: int) -> None:
        self.post_message(self.Move(rows))


FILTER_HINT = "type to filter · ↑↓ pick · Enter edits · Tab: the list (d/u: ↓/↑ limit)"


class OptionsTab(StepsAsideForText, Vertical):
    """An Input to filter and a table of name = value, of a download or (``gid``
    None) of the daemon. Passwords show as •••• unless revealed (Ctrl+R)."""

    BINDINGS = [  # from the list; typed into the filter, d and u are text
        Binding(
            "d", "limit(0)", "↓ limit", show=True, priority=True, id="aria2-top.options.down-limit"
        ),
        Binding(
            "u", "limit(1)", "↑ limit", show=True, priority=True, id="aria2-top.options.up-limit"
        ),
        Binding(
            "ctrl+e",
            "edit_outside",
            "Editor",
            show=True,
            priority=True,
            id="aria2-top.options.editor",
        ),
    ]

    class EditOption(Message):
        """Ask the app to edit option ``name`` (now ``value``) of ``gid`` on ``daemon``
        (``gid`` None: the daemon's global option); ``secret``: type it in a masked
        field."""

        def __init__(
            self,
            daemon: str,
            gid: str | None,
            name: str,
            value: str,
            secret: bool = False,
            group: tuple[DownloadKey, ...] = (),
        ) -> None:
            super().__init__()
            self.daemon = daemon
            self.gid = gid
            self.name = name
            self.value = value
            self.secret = secret
            self.group = group
            """The tagged downloads the option is for (empty: ``gid``'s only)."""

    class EditOutside(Message):
        """Ask the app to open every option (``options``) of ``gid`` on ``daemon``, or
        of the tagged downloads ``group``, in $EDITOR and set what was changed."""

        def __init__(
            self,
            daemon: str,
            gid: str | None,
            options: dict[str, str],
            group: tuple[DownloadKey, ...],
        ) -> None:
            super().__init__()
            self.daemon = daemon
            self.gid = gid
            self.options = options
            self.group = group

    def __init__(
        self,
        *,
        id: str | None = None,
        limits: tuple[str, str] = DOWNLOAD_LIMITS,
    ) -> None:
        super().__init__(id=id)
        self.daemon = ""
        self.gid: str | None = None
        self.limits = limits
        self.options: dict[str, str] = {}
        self.group: tuple[DownloadKey, ...] = ()
        """The tagged downloads shown together (their options merged)."""
        self.loaded = False
        self.reveal = False

    def compose(self) -> ComposeResult:
        yield FilterBox(placeholder=FILTER_HINT, id="options-filter", compact=True)
        table: DataTable[Text] = DataTable(id="options-table", cursor_type="row")
        table.add_column("Option", key="name")
        table.add_column("Value", key="value")
        yield table

    def show(
        self,
        daemon: str,
        gid: str | None,
        options: dict[str, str],
        group: tuple[DownloadKey, ...] = (),
    ) -> None:
        """Show ``options`` of ``gid`` on ``daemon`` (None: the daemon's own), or the
        merged options of the tagged downloads ``group``."""
        now = (daemon, gid, group)
        if self.loaded and now == (self.daemon, self.gid, self.group) and options == self.options:
            return
        self.daemon, self.gid, self.group = now
        self.options, self.loaded = options, True
        self._fill()

    def set_reveal(self, reveal: bool) -> None:
        """Show passwords as they are (True) or masked."""
        if reveal != self.reveal:
            self.reveal = reveal
            if self.loaded:
                self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        needle = self.query_one(Input).value.strip().casefold()
        keep = table.cursor_row
        table.clear()
        for name in sorted(self.options):
            # The filter sees what is shown: typing a password never finds it.
            value = shown_value(name, self.options[name], reveal=self.reveal)
            if needle and needle not in name.casefold() and needle not in value.casefold():
                continue
            table.add_row(Text(fmt.safe_text(name)), Text(fmt.safe_text(value)), key=name)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def focus_filter(self) -> None:
        focus_now(self.query_one(FilterBox))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    def on_filter_box_move(self, event: FilterBox.Move) -> None:
        event.stop()
        table = self.query_one(DataTable)
        if table.row_count:
            row = max(0, min(table.row_count - 1, table.cursor_row + event.rows))
            table.move_cursor(row=row)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter edits the highlighted option."""
        event.stop()
        table = self.query_one(DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._edit(str(row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._edit(str(event.row_key.value))

    def _edit(self, name: str) -> None:
        if self.loaded:
            self.post_message(
                self.EditOption(
                    self.daemon,
                    self.gid,
                    name,
                    self.options.get(name, ""),
                    self._secret(name),
                    self.group,
                )
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """d and u are text in the filter; Ctrl+E is never text."""
        return action == "edit_outside" or super().check_action(action, parameters)

    def action_edit_outside(self) -> None:
        if self.gid is None and not self.group:
            self.app.notify("Ctrl+E edits the options of downloads (the details pane's tab 6)")
        elif self.loaded:
            self.post_message(
                self.EditOutside(self.daemon, self.gid, dict(self.options), self.group)
            )

    def action_limit(self, which: int) -> None:
        name = self.limits[which]
        if self.loaded:
            self.post_message(
                self.EditOption(
                    self.daemon, self.gid, name, self.options.get(name, "0"), group=self.group
                )
            )

    def _secret(self, name: str) -> bool:
        return is_secret_option(name) and not self.reveal
