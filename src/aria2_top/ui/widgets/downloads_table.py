"""The downloads table: a DataTable keyed by GID and updated by difference.

Each refresh removes rows that went away, adds new ones, updates only the cells
whose text changed, and puts the rows in the wanted order, all without
``clear()``, so the cursor and scroll position survive every tick. The cursor
stays on the same download across refreshes and re-sorts.

Every cell is a ``rich.text.Text``: a plain ``str`` cell would be read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import JustifyMethod
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from aria2_top.core import format as fmt
from aria2_top.core.model import Download, Status
from aria2_top.core.query import COLUMNS, MIN_NAME_WIDTH, Column, columns_for_width

STATUS_STYLE: dict[Status, str] = {
    Status.ACTIVE: "green",
    Status.SEEDING: "cyan",
    Status.METADATA: "magenta",
    Status.CHECKING: "bright_cyan",
    Status.WAITING: "",
    Status.PAUSED: "yellow",
    Status.COMPLETE: "blue",
    Status.ERROR: "bold red",
    Status.REMOVED: "dim",
}
TAGGED_STYLE = "bold yellow"
TAG_MARK = "●"
BAR_WIDTH = 8

RowText = tuple[str, ...]


def row_texts(download: Download) -> RowText:
    """The plain text of every cell of ``download``'s row, in column order."""
    position = "" if download.queue_position is None else str(download.queue_position + 1)
    connections = str(download.connections) if download.connections else ""
    if download.is_torrent and (download.connections or download.seeders):
        connections = f"{download.seeders}/{download.connections}"
    progress = fmt.progress_cell(download.progress, BAR_WIDTH)
    return (
        position,
        fmt.safe_text(download.name),
        str(download.status),
        progress,
        fmt.size(download.total) if download.total else "",
        fmt.size(download.completed) if download.completed else "",
        fmt.speed(download.down_speed),
        fmt.speed(download.up_speed),
        fmt.duration(download.eta),
        connections,
        fmt.ratio(download.ratio),
        fmt.short_gid(download.gid),
    )


_RIGHT_ALIGNED = frozenset({"size", "done", "down", "up", "eta", "conn", "ratio"})
_COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def row_cells(
    texts: RowText, status: Status, tagged: bool, columns: Sequence[Column]
) -> list[Text]:
    """Styled cells of ``columns`` for a row: colour by status, tagged rows marked."""
    style = TAGGED_STYLE if tagged else STATUS_STYLE[status]
    cells = []
    for column in columns:
        text = texts[_COLUMN_INDEX[column.key]]
        if column.key == "pos":
            text = (TAG_MARK if tagged else " ") + text
        cell_style = "" if column.key == "name" and not tagged else style
        justify: JustifyMethod = "right" if column.key in _RIGHT_ALIGNED else "left"
        cells.append(
            Text(text, style=cell_style, justify=justify, no_wrap=True, overflow="ellipsis")
        )
    return cells


class DownloadsTable(DataTable[Text]):
    """Every download of the daemon, one row each, keyed by GID."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")
        self._texts: dict[str, tuple[RowText, Status, bool]] = {}
        self._order: list[str] = []
        self._shown: list[Column] = []
        self._last: tuple[Sequence[Download], set[str]] = ((), set())

    # -- columns -------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        width = self.size.width or self.app.size.width
        wanted = columns_for_width(width - 1, self.cell_padding)  # 1: the scrollbar
        fixed = sum(c.width + 2 * self.cell_padding for c in wanted if c.key != "name")
        name_width = max(MIN_NAME_WIDTH, width - 1 - fixed - 2 * self.cell_padding)
        if [c.key for c in wanted] != [c.key for c in self._shown]:
            keep = self.focused_gid
            self.clear(columns=True)
            self._texts.clear()
            self._order = []
            self._shown = wanted
            for column in wanted:
                self.add_column(
                    Text(column.label), key=column.key, width=column.width or name_width
                )
            self.show(*self._last)
            if keep is not None:
                self.focus_gid(keep)
        else:
            name = self.columns.get(ColumnKey("name"))
            if name is not None and name.width != name_width:
                name.width = name_width
                self._require_update_dimensions = True
                self.refresh()

    # -- rows ----------------------------------------------------------------------

    @property
    def focused_gid(self) -> str | None:
        """The GID of the row under the cursor, if any."""
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    @property
    def order(self) -> list[str]:
        """GIDs in the order shown."""
        return list(self._order)

    def show(self, downloads: Sequence[Download], tagged: set[str]) -> None:
        """Make the table show exactly ``downloads``, in this order."""
        self._last = (downloads, set(tagged))
        if not self._shown:
            return  # not sized yet: the first resize shows them
        keep = self.focused_gid
        wanted = {d.gid for d in downloads}
        gone = [gid for gid in self._texts if gid not in wanted]
        if len(gone) > 200 and len(gone) > len(self._texts) // 2:
            # DataTable.remove_row is O(rows): a mass removal is cheaper rebuilt.
            self.clear()
            self._texts.clear()
        else:
            for gid in gone:
                self.remove_row(gid)
                del self._texts[gid]
        columns = self._shown
        for download in downloads:
            state = (row_texts(download), download.status, download.gid in tagged)
            previous = self._texts.get(download.gid)
            if previous is None:
                self.add_row(*row_cells(*state, columns), key=download.gid)
            elif previous != state:
                cells = row_cells(*state, columns)
                restyle = previous[1:] != state[1:]
                for cell, column in zip(cells, columns, strict=True):
                    index = _COLUMN_INDEX[column.key]
                    if restyle or previous[0][index] != state[0][index]:
                        self.update_cell(download.gid, column.key, cell)
            self._texts[download.gid] = state
        order = [d.gid for d in downloads]
        if order != self._order:
            self._order = order
            # DataTable.sort() can only order by cell values; this sets the order
            # by row key the same way it does.
            self._row_locations = TwoWayDict({RowKey(gid): i for i, gid in enumerate(order)})
            self._update_count += 1
            self.refresh()
        if keep is not None and keep in self._texts:
            self.focus_gid(keep)

    def focus_gid(self, gid: str) -> bool:
        """Put the cursor on ``gid``'s row; False when it is not shown."""
        if gid not in self._texts:
            return False
        row = self._order.index(gid)
        if row != self.cursor_row:
            self.move_cursor(row=row, animate=False)
        return True
